#!/usr/bin/env bash
# Single-node KRaft Kafka from Maven Central jars. Usage: kafka.sh install|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
KDIR="$TOOLS/kafka-$KAFKA_VERSION"
LIBS="$KDIR/libs"
DATA="$RUN_DIR/kafka-data"
PIDFILE="$RUN_DIR/kafka.pid"

install() {
  if [ -f "$LIBS/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { log "mvn is required"; exit 1; }
  mkdir -p "$LIBS"
  local major="${KAFKA_VERSION%%.*}"
  local logdeps
  if [ "$major" -ge 4 ]; then
    logdeps="<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>"
  else
    logdeps="<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>"
  fi
  cat >"$KDIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.wwb</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    $logdeps
  </dependencies>
</project>
POM
  log "downloading Kafka $KAFKA_VERSION jars from Maven Central"
  mvn -B -q -f "$KDIR/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS"
  touch "$LIBS/.complete"
}

write_config() {
  mkdir -p "$DATA"
  cat >"$RUN_DIR/kafka.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.partitions=3
auto.create.topics.enable=false
PROPS
  cat >"$RUN_DIR/kafka-log4j2.properties" <<'L4J'
status = error
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
logger.kafka.name = kafka.Kafka
logger.kafka.level = INFO
L4J
  cat >"$RUN_DIR/kafka-log4j.properties" <<'L4J'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
L4J
}

start() {
  if port_open "$KAFKA_PORT"; then log "Kafka already listening on $KAFKA_PORT"; return 0; fi
  install
  write_config
  # A data directory formatted before keeps its cluster id (formatting again with a new id fails).
  if [ ! -f "$DATA/meta.properties" ]; then
    # 16 random bytes, URL-safe base64 (what Kafka expects). One id in 64 starts with '-', which
    # the tool's argument parser takes for an option ("expected one argument"): draw again.
    local cid=-
    while [[ $cid == -* ]]; do
      cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | cut -c1-22)
    done
    java -cp "$LIBS/*" kafka.tools.StorageTool format -t "$cid" -c "$RUN_DIR/kafka.properties" --ignore-formatted >"$RUN_DIR/kafka-format.log" 2>&1 \
      || java -cp "$LIBS/*" kafka.tools.StorageTool format -t "$cid" -c "$RUN_DIR/kafka.properties" --ignore-formatted --standalone >>"$RUN_DIR/kafka-format.log" 2>&1 \
      || { cat "$RUN_DIR/kafka-format.log" >&2; exit 1; }
  fi
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
  nohup java -Xms256m -Xmx768m -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="file:$RUN_DIR/kafka-log4j2.properties" \
    -Dlog4j.configuration="file:$RUN_DIR/kafka-log4j.properties" \
    -cp "$LIBS/*" kafka.Kafka "$RUN_DIR/kafka.properties" >"$RUN_DIR/kafka.log" 2>&1 &
  echo $! >"$PIDFILE"
  wait_port "$KAFKA_PORT" 90 Kafka || { tail -n 40 "$RUN_DIR/kafka.log" >&2; exit 1; }
  log "Kafka is up"
}

stop() {
  if [ -f "$PIDFILE" ]; then
    local pid; pid=$(cat "$PIDFILE")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  reset) stop; rm -rf "$DATA" ;;
  status) port_open "$KAFKA_PORT" && echo up || echo down ;;
  *) echo "usage: $0 install|start|stop|reset|status" >&2; exit 2 ;;
esac
