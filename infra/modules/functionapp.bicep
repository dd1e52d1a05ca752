// The Function App on Flex Consumption (FC1, Linux, dotnet-isolated): the HTTP starter, the weekly retrain timer, the
// orchestrators and every activity but the network's training. Every connection is identity-based.

@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('.NET version of the isolated worker.')
@allowed([
  '10.0'
  '9.0'
  '8.0'
])
param dotnetVersion string

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Name of the storage account.')
param storageAccountName string

@description('URL of the blob container the app deploys its package from.')
param deploymentContainerUrl string

@description('Application Insights connection string (no key: ingestion is identity-based).')
param appInsightsConnectionString string

@description('Name of the Durable Task hub.')
param taskHubName string

@description('NCRONTAB schedule of the weekly retrain, in UTC.')
param retrainSchedule string

@description('Resource id of the GPU training job.')
param gpuJobId string

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // The task hub, the runs and the triggers' storage, with the identity (no key).
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
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
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // host.json's durable settings, overridden here where a deployment differs.
        {
          name: 'AzureFunctionsJobHost__extensions__durableTask__hubName'
          value: taskHubName
        }
        {
          name: 'HMREC_STORE'
          value: '/tmp/hmrec'
        }
        {
          name: 'HMREC_RETRAIN_SCHEDULE'
          value: retrainSchedule
        }
        {
          name: 'HMREC_TWO_TOWER_BACKEND'
          value: 'containerapps'
        }
        {
          name: 'HMREC_GPU_JOB_ID'
          value: gpuJobId
        }
      ]
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
