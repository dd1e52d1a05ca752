// HmRec on Azure: the Function App (Flex Consumption) that runs the pipeline's orchestrations and activities, its
// storage account (task hub and runs), a user-assigned identity for every connection, Application Insights, and a
// Container Apps job on a serverless GPU that trains the two-tower network. Deploy into a resource group:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam
targetScope = 'resourceGroup'

@description('Short name every resource name starts with (lower-case letters and digits).')
@minLength(3)
@maxLength(11)
param name string = 'hmrec'

@description('Azure region of every resource (it must offer Flex Consumption and the GPU workload profile).')
param location string = resourceGroup().location

@description('.NET version of the Functions isolated worker (Flex Consumption offers 8.0, 9.0 and 10.0).')
@allowed([
  '10.0'
  '9.0'
  '8.0'
])
param dotnetVersion string = '10.0'

@description('Most Function App instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each Function App instance, in MB (a pipeline activity holds a shard\'s features in memory).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 4096

@description('Serverless GPU of the training job: NVIDIA T4 or A100.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Image of the GPU worker, built from docker/gpu-worker.Dockerfile and pushed to a registry.')
param gpuWorkerImage string

@description('Name of an Azure Container Registry in this resource group holding the image (the identity gets AcrPull), or empty for a public image.')
param containerRegistryName string = ''

@description('Longest a training execution may run, in seconds (the pipeline\'s own limit is TwoTower.TimeoutMinutes).')
@minValue(600)
@maxValue(86400)
param gpuReplicaTimeoutSeconds int = 14400

@description('Name of the Durable Task hub in the storage account.')
param taskHubName string = 'HmRecHub'

@description('NCRONTAB schedule (six fields, UTC) of the weekly retrain.')
param retrainSchedule string = '0 0 3 * * Mon'

@description('Days Log Analytics keeps the logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Tags for every resource.')
param tags object = {}

var token = toLower(uniqueString(subscription().id, resourceGroup().id, name))
var allTags = union({ application: 'hmrec' }, tags)
var runsContainerName = 'hmrec'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${name}-${token}'
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${name}${token}', 24)
    location: location
    tags: allTags
    runsContainerName: runsContainerName
    deploymentContainerName: 'app-package-${token}'
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${name}-${token}'
    appInsightsName: 'appi-${name}-${token}'
    location: location
    tags: allTags
    retentionDays: logRetentionDays
  }
}

module gpuJob 'modules/gpujob.bicep' = {
  name: 'gpu-job'
  params: {
    environmentName: 'cae-${name}-${token}'
    jobName: take('caj-${name}-train-${token}', 32)
    location: location
    tags: allTags
    gpuProfileType: gpuProfileType
    image: gpuWorkerImage
    registryServer: empty(containerRegistryName) ? '' : '${containerRegistryName}.azurecr.io'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    workspaceId: monitoring.outputs.workspaceId
    replicaTimeoutSeconds: gpuReplicaTimeoutSeconds
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    jobName: gpuJob.outputs.jobName
    registryName: containerRegistryName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'function-app'
  params: {
    name: 'func-${name}-${token}'
    planName: 'plan-${name}-${token}'
    location: location
    tags: allTags
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    taskHubName: taskHubName
    retrainSchedule: retrainSchedule
    gpuJobId: gpuJob.outputs.jobId
  }
  // The app starts with its identity's data roles in place, so its first start can reach the task hub.
  dependsOn: [
    roles
  ]
}

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'
output storageAccountName string = storage.outputs.name
output runsContainer string = runsContainerName
output gpuJobName string = gpuJob.outputs.jobName
output gpuJobId string = gpuJob.outputs.jobId
output identityClientId string = identity.outputs.clientId
output appInsightsName string = monitoring.outputs.appInsightsName
