// The two-tower network's GPU training: a Container Apps environment with a serverless GPU workload profile and a
// manual-trigger job running hmrec-train-gpu. The Function App starts one execution per run through Resource Manager
// (HMREC_GPU_JOB_ID), with the run's blob locations as the container's arguments; the job reads and writes them with
// the shared identity. Logs go to Log Analytics through a diagnostic setting (no workspace key in the template).

@description('Name of the Container Apps environment.')
param environmentName string

@description('Name of the training job.')
param jobName string

@description('Azure region (it must offer the GPU workload profile).')
param location string

@description('Tags for every resource.')
param tags object

@description('Serverless GPU workload profile: NVIDIA T4 (8 vCPU, 56 GiB) or A100 (24 vCPU, 220 GiB).')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Image of the GPU worker (docker/gpu-worker.Dockerfile).')
param image string

@description('Login server of the registry the image comes from (pulled with the identity), or empty for a public image.')
param registryServer string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Blob endpoint of the storage account (https://{account}.blob.core.windows.net/).')
param blobEndpoint string

@description('Resource id of the Log Analytics workspace.')
param workspaceId string

@description('Longest an execution may run, in seconds, before Container Apps stops it.')
@minValue(600)
@maxValue(86400)
param replicaTimeoutSeconds int

var gpuProfileName = 'gpu'
var gpuResources = gpuProfileType == 'Consumption-GPU-NC24-A100'
  ? { cpu: json('24.0'), memory: '220Gi' }
  : { cpu: json('8.0'), memory: '56Gi' }

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: jobName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: replicaTimeoutSeconds
      // The orchestrator starts a lost execution again itself (TwoTower.MaxAttempts), resuming from the checkpoint.
      replicaRetryLimit: 0
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
      }
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'hmrec-train-gpu'
          image: image
          resources: gpuResources
          env: [
            {
              name: 'AzureWebJobsStorage__blobServiceUri'
              value: blobEndpoint
            }
            {
              name: 'AzureWebJobsStorage__credential'
              value: 'managedidentity'
            }
            {
              name: 'AzureWebJobsStorage__clientId'
              value: identityClientId
            }
            {
              name: 'AZURE_CLIENT_ID'
              value: identityClientId
            }
          ]
        }
      ]
    }
  }
}

output environmentName string = environment.name
output jobId string = job.id
output jobName string = job.name
