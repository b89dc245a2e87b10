// The worker: the same image running the job loop (no ingress), scaled by KEDA on the length of
// the job queue, which it reads with the app's managed identity (no connection string). Messages of
// running jobs stay in the queue (hidden), so a busy replica is not scaled in; one stopped anyway
// hands its jobs back (SIGTERM), one killed has them taken over after JOBS_VISIBILITY_SEC.
param name string
param location string
param tags object = {}
param environmentId string
param identityId string
param image string
param registryServer string = ''
param env array
param secretNames array = []
@secure()
param secretValues object = {}
param cpu string = '2.0'
param memory string = '4Gi'
param minReplicas int = 0
param maxReplicas int = 5
param storageAccountName string
param queueName string
@description('Queued and running jobs per replica before another one starts.')
param queueLength int = 2

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'worker' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      registries: empty(registryServer) ? [] : [{ server: registryServer, identity: identityId }]
      secrets: [for secretName in secretNames: { name: secretName, value: secretValues[secretName] }]
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          // The job loop itself (what `npm run worker` starts once the model is prepared: the
          // image has it), so that SIGTERM reaches it directly and running jobs are handed back.
          command: ['node', '--import', 'tsx', 'scripts/worker.ts']
          env: env
          resources: {
            cpu: json(cpu)
            memory: memory
          }
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        pollingInterval: 15
        cooldownPeriod: 300
        rules: [
          {
            name: 'transcription-queue'
            azureQueue: {
              accountName: storageAccountName
              queueName: queueName
              queueLength: queueLength
              identity: identityId
            }
          }
        ]
      }
    }
  }
}

output id string = app.id
output name string = app.name
