using 'main.bicep'

// Values for one deployment; every other parameter keeps main.bicep's default. The image comes from the environment
// (HMREC_GPU_IMAGE), so the same file serves every registry: build it with docker/gpu-worker.Dockerfile.
param name = 'hmrec'
param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param gpuWorkerImage = readEnvironmentVariable('HMREC_GPU_IMAGE', 'myregistry.azurecr.io/hmrec-train-gpu:latest')
param containerRegistryName = readEnvironmentVariable('HMREC_ACR_NAME', '')
param retrainSchedule = '0 0 3 * * Mon'
