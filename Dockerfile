# Container image for the sparsefit service.
#
# Build (needs a Docker/BuildKit or Podman engine; run from the repository root):
#   docker build -t sparsefit:0.1.0 .
# Run with the embedded H2 database kept in a named volume:
#   docker run --rm -p 8080:8080 -v sparsefit-data:/data sparsefit:0.1.0
# Run against PostgreSQL instead:
#   docker run --rm -p 8080:8080 \
#     -e SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/sparsefit \
#     -e SPRING_DATASOURCE_USERNAME=sparsefit -e SPRING_DATASOURCE_PASSWORD=... sparsefit:0.1.0
#
# Base images are pinned to an exact Temurin release; bump both tags together.

# ---------------------------------------------------------------------------
# Stage 1: compile and package with the Maven wrapper, then split the jar into layers.
# ---------------------------------------------------------------------------
FROM eclipse-temurin:17.0.17_10-jdk-noble AS build
WORKDIR /build

# Build files first: the dependency download below is cached until pom.xml or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -q dependency:go-offline

# Sources last, so a code change only re-runs the steps from here on.
COPY src/ src/
RUN ./mvnw -B -q package -DskipTests \
    && cp target/sparsefit-*.jar app.jar \
    && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# ---------------------------------------------------------------------------
# Stage 2: runtime on a JRE, as a fixed non-root user.
# ---------------------------------------------------------------------------
FROM eclipse-temurin:17.0.17_10-jre-noble

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="sparsefit" \
      org.opencontainers.image.description="Fits one-hidden-layer ReLU networks under sparse regularization, as an HTTP service" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.vendor="sparsefit" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17.0.17_10-jre-noble"

# Fixed UID/GID so Kubernetes runAsUser/fsGroup and volume ownership can match it (10001).
# /data holds the embedded H2 database; it must be writable by that user.
RUN groupadd --system --gid 10001 sparsefit \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /app \
       --shell /usr/sbin/nologin sparsefit \
    && mkdir -p /data \
    && chown 10001:10001 /data

WORKDIR /app

# One image layer per jar layer, least to most often changed. Files stay owned by root,
# so the application cannot modify its own code.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# Container-aware JVM: the heap is sized from the container memory limit, and an
# OutOfMemoryError ends the process so the orchestrator restarts it instead of leaving a
# half-broken JVM running. --add-modules=jdk.incubator.vector turns on the Vector API product
# kernels (io.sparsefit.core.kernel; without it the scalar ones run, same answers to rounding).
# Override the whole variable to change JVM flags.
ENV SPARSEFIT_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp --add-modules=jdk.incubator.vector"

# Embedded (H2) mode keeps its database here; mount a volume (Kubernetes: a PVC) on it.
VOLUME ["/data"]

EXPOSE 8080

USER 10001:10001

# For plain Docker / Compose only: Kubernetes ignores HEALTHCHECK and uses the chart's
# liveness/readiness/startup probes. curl ships with the Ubuntu-based Temurin images.
# No --start-period (dockerfilelint 1.8.0 rejects that option): the service is ready in
# 8-20 s, well before 3 failed checks 30 s apart would mark the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/readiness || exit 1

# Exec form: java is PID 1 and receives SIGTERM directly, so graceful shutdown runs.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
