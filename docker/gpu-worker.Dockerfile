# The two-tower GPU worker (hmrec-train-gpu) for the Container Apps job of infra/main.bicep.
# Build context: the repository root after `make publish-gpu`, which leaves the self-contained, trimmed worker and
# the native libraries it loads (DuckDB, OpenBLAS and its Fortran runtime) in out/gpu/:
#   make publish-gpu && docker build -f docker/gpu-worker.Dockerfile -t <registry>/hmrec-train-gpu:<tag> .
# The worker loads CUDA 13's driver API, cuBLAS and NVRTC: the runtime image brings the last two, the GPU host the driver.
FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3t64 \
 && rm -rf /var/lib/apt/lists/*
COPY out/gpu/ /opt/hmrec/
ENV LD_LIBRARY_PATH=/opt/hmrec \
    DOTNET_gcServer=0 \
    TMPDIR=/tmp
USER ubuntu
WORKDIR /tmp
# The job's start request gives the run's arguments (--features blob:..., --out blob:..., the options); storage is
# reached with the job's identity (AzureWebJobsStorage__blobServiceUri, __credential, __clientId).
ENTRYPOINT ["/opt/hmrec/hmrec-train-gpu"]
