#!/usr/bin/env bash
# The guide's critical test 4: the primary stack under 2g, 4g and 8g memory limits gives three
# different configurations, each exactly the one `aza-pg tune` predicts for that limit.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/stack.sh"
seen=""
for mem in 2g 4g 8g; do
  project="aza-test-limits-$mem-$$"
  envf=$(mktemp)
  stack_up "$project" "$envf" POSTGRES_MEMORY_LIMIT=$mem POSTGRES_CPU_LIMIT=2 POSTGRES_SHM_SIZE=1g \
    || { fail "$mem: stack not healthy"; continue; }
  pg="${project}-postgres-1"
  su_pw=$(env_get "$envf" POSTGRES_PASSWORD)
  predicted=$(docker run --rm --entrypoint aza-pg "$IMAGE" tune --memory "$mem" --cpus 2 --shm 1g --format json)
  config=""
  for s in shared_buffers effective_cache_size work_mem maintenance_work_mem max_connections; do
    shown=$(docker exec -e PGPASSWORD="$su_pw" "$pg" psql -U postgres -XtAc "SHOW $s")
    expect_eq "$shown" "$(jq -r ".settings.$s" <<<"$predicted")" "$mem: $s as predicted"
    config+="$s=$shown "
  done
  echo "$mem: $config"
  case " $seen " in *" $config "*) fail "$mem: same configuration as a smaller limit" ;; *) pass "$mem: a configuration of its own" ;; esac
  seen+="$config|"
  stack_down "$project" "$envf"
done
finish
