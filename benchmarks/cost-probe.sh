#!/usr/bin/env sh
# The cost probe (docs/cost.md): starts the built distribution and measures what watching costs.
# Build first: mvn -B -ntp package -DskipTests -pl distribution,benchmarks -am
# Example: benchmarks/cost-probe.sh --interval 10 --cycles 30 --baseline --memory-buffer --label 10s \
#            --out docs/cost.md --png docs/cost.png
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
exec java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar dev.osgimon.benchmarks.cost.CostProbe "$@"
