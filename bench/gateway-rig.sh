# Sourced by bench/gateway.sh and bench/gateway-floor.sh (not run on its own): the rig both measure
# on, so their figures compare. All on 127.0.0.1; every process it starts is stopped on exit.
#   rig_init NAME            skips (exit 0) without wrk or nginx, builds $JAR when missing, makes $work
#   rig_start_nginx          the fast backend on $BACKEND_PORT and nginx as a reverse proxy to it on
#                            $PROXY_PORT, each its own nginx (so the proxy's CPU time can be told apart);
#                            sets BACKEND_MASTER and PROXY_MASTER
#   rig_start_gateway        the product on $GATEWAY_PORT with the backend as a static backend; sets GATEWAY_PID
#   free_port, ticks PID..., p50_ms (wrk output on stdin)

rig_init() { # name (for the skip message)
  for tool in wrk nginx; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
      echo "$1 skipped: $tool is not installed (Debian: apt-get install -y wrk nginx)"
      exit 0
    fi
  done
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)

  JAR=${NEXUS_JAR:-target/nexus-monitor.jar}
  if [ ! -f "$JAR" ]; then
    echo "building $JAR ..."
    mvn -q -DskipTests package
  fi

  work=$(mktemp -d)
  pids=()
  trap rig_cleanup EXIT
}

rig_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

rig_nginx_conf() { # name listen-port http-block-extra server-block
  cat > "$work/$1.conf" <<CONF
worker_processes auto;
pid $work/$1.pid;
error_log $work/$1.err warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp/$1-body;
  proxy_temp_path $work/tmp/$1-proxy;
  fastcgi_temp_path $work/tmp/$1-fastcgi;
  uwsgi_temp_path $work/tmp/$1-uwsgi;
  scgi_temp_path $work/tmp/$1-scgi;
  keepalive_requests 1000000;
  $3
  server {
    listen 127.0.0.1:$2;
    $4
  }
}
CONF
}

rig_start_nginx() {
  mkdir -p "$work/tmp"
  # the fast backend: a fixed OpenAI answer (GatewayFloor.ANSWER is the same bytes)
  rig_nginx_conf backend "$BACKEND_PORT" "" 'default_type application/json;
    location = /v1/models { return 200 '"'"'{"object":"list","data":[{"id":"bench","object":"model","owned_by":"bench"}]}'"'"'; }
    location / { return 200 '"'"'{"id":"chatcmpl-bench","object":"chat.completion","model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}'"'"'; }'
  # nginx as a plain reverse proxy to it, with upstream keep-alive (its best case)
  rig_nginx_conf proxy "$PROXY_PORT" "upstream fast { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }" 'location / {
      proxy_pass http://fast;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }'
  "$NGINX" -p "$work" -c "$work/backend.conf" &
  pids+=($!)
  BACKEND_MASTER=$!
  "$NGINX" -p "$work" -c "$work/proxy.conf" &
  pids+=($!)
  PROXY_MASTER=$!
}

rig_start_gateway() {
  cat > "$work/nexus.toml" <<CONF
[server]
host = "127.0.0.1"
port = $GATEWAY_PORT

[discovery]
enabled = false

[health_check]
interval_seconds = 30

[logging]
level = "warn"

[[backends]]
name = "fast"
url = "http://127.0.0.1:$BACKEND_PORT"
type = "openai"
priority = 1
CONF
  java ${JAVA_OPTS:-} -jar "$JAR" --no-gui -c "$work/nexus.toml" --state-dir "$work/state" > "$work/nexus.log" 2>&1 &
  pids+=($!)
  GATEWAY_PID=$!
}

# CPU ticks (user + system) of these processes
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
# wrk's p50 latency in ms
p50_ms() { awk '$1=="50%" { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else { sub(/s$/,"",v); print v*1000 } }'; }
