# The standalone `hmrec worker`: one more machine on a task hub, running orchestrations and activities beside the
# Function App or other workers. Build context: the repository root after `make publish-worker` (out/worker/: the
# framework-dependent host for linux-x64 with LightGBM, DuckDB and the two-tower worker):
#   make publish-worker && docker build -f docker/worker.Dockerfile -t <registry>/hmrec-worker:<tag> .
# Settings come from the environment (AzureWebJobsStorage, HMREC_*); see README "Settings".
FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopenblas0-pthread libgomp1 \
 && rm -rf /var/lib/apt/lists/*
COPY out/worker/ /opt/hmrec/
COPY host.json /opt/hmrec/host.json
ENV LD_LIBRARY_PATH=/opt/hmrec \
    HMREC_STORE=/tmp/hmrec
USER app
WORKDIR /opt/hmrec
ENTRYPOINT ["dotnet", "/opt/hmrec/hmrec.dll", "worker"]
