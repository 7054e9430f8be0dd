# syntax=docker/dockerfile:1

# The two base images, as build arguments: a machine that cannot pull them builds on stand-ins
# of its own (ImageIT does, on images made from Debian packages by .ci/stand-in-bases.sh).
# The build stage needs a JDK (17 or newer) and a shell; the runtime stage a JRE (25 or newer: compact object headers),
# BusyBox-style addgroup/adduser and wget.
ARG BUILD_IMAGE=eclipse-temurin:25-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-alpine

# Build: the Maven wrapper on a full JDK. Tests do not run here (they run in CI with a real
# Redis and real tools); the jar is then split into Spring Boot's layers. The cache mount keeps
# the wrapper's Maven and the dependencies between builds on one machine.
FROM ${BUILD_IMAGE} AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn .mvn
# Dependencies change less often than the code: resolve them in a layer of their own.
RUN --mount=type=cache,target=/root/.m2 ./mvnw --batch-mode --no-transfer-progress dependency:go-offline
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw --batch-mode --no-transfer-progress -DskipTests package \
    && cp target/stock-service.jar application.jar
# The launcher layout: JarLauncher and BOOT-INF/ trees instead of a nested jar, one directory a layer.
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted

# Run: a JRE of 25 or newer (21 would do for spring.threads.virtual.enabled, 25 for the flags below).
FROM ${RUNTIME_IMAGE}
# A fixed numeric UID, so Kubernetes' runAsNonRoot can check it without a passwd lookup.
RUN addgroup -S -g 10001 stock && adduser -S -D -H -u 10001 -G stock -h /app stock
WORKDIR /app
# Least to most often changed, so a code change rebuilds only the last layer.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
USER 10001:10001
EXPOSE 8080
# The health check uses BusyBox wget, which the Alpine base has anyway: no curl added.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1:8080/readyz || exit 1
# The JVM's memory, sized for a container (measured in BENCHMARKS.md, "Memory"). Left to itself, a
# JVM under a limit below 1,792 MiB picks the Serial GC and a heap of 75 % of the limit, which grows
# to its maximum under load: about 620 MiB RSS in a 512 MiB container, killed by the kernel. The
# service keeps about 42 MiB live on the heap and about 190 MiB besides it (classes, compiled code,
# the JIT's arenas); G1 with the heap capped at 40 % stays near 400 MiB with most of the throughput
# (Serial at 25 % stayed at 350 MiB but lost a third of it to collections). Compact object headers
# (JDK 25) shrink every object; the native heap is trimmed every 5 s, so that the JIT's freed arenas
# go back to the system. Die on OOM so the orchestrator restarts a clean JVM. Add flags with
# JAVA_TOOL_OPTIONS; arguments after the image name go to the app. bench/bench.py runs the service
# with these flags, read from here.
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=40", "-XX:+UseCompactObjectHeaders", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
