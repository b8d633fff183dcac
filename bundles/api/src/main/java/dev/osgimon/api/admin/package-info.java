/**
 * Services the osgimon platform provides to control it at runtime: switching metric sources on
 * and off, log levels, the text command protocol and a preview of one collection cycle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.osgimon.api.admin;
