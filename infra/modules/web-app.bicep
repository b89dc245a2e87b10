// The web app: Next.js + the live socket, external HTTPS ingress on port 3000, sticky sessions (a
// dropped live session resumes on the replica that holds it), health probes, and Container Apps'
// built-in authentication (Entra ID) when authMode is 'entra'.
param name string
param location string
param tags object = {}
param environmentId string
@description('Resource ID of the user-assigned identity (registry pull, storage, Speech, OpenAI).')
param identityId string
param image string
@description('Registry login server the image comes from (empty for a public image).')
param registryServer string = ''
param env array
@description('Names of the Container App secrets the env entries refer to.')
param secretNames array
@secure()
@description('Secret values by name; only the ones in secretNames are used.')
param secretValues object
param cpu string = '1.0'
param memory string = '2Gi'
param minReplicas int = 1
param maxReplicas int = 3
@description('Public host name (the probes send it as Host, as a browser would).')
param publicHost string

@allowed(['none', 'password', 'entra'])
param authMode string
@description('Entra ID app registration (client) ID, for authMode entra.')
param entraClientId string = ''
@secure()
@description('Its client secret (optional: without one, sign-in uses the implicit ID-token flow).')
param entraClientSecret string = ''
param entraTenantId string = ''

var port = 3000
var entraSecretName = 'microsoft-provider-authentication-secret'
var appSecrets = [for secretName in secretNames: { name: secretName, value: secretValues[secretName] }]
var entraSecrets = authMode == 'entra' && !empty(entraClientSecret)
  ? [{ name: entraSecretName, value: entraClientSecret }]
  : []

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'auto'
        allowInsecure: false
        stickySessions: { affinity: 'sticky' }
      }
      registries: empty(registryServer) ? [] : [{ server: registryServer, identity: identityId }]
      secrets: concat(appSecrets, entraSecrets)
    }
    template: {
      containers: [
        {
          name: 'web'
          image: image
          env: env
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          probes: [
            // Listening: Next.js prepared, the server up (the model may still be loading).
            {
              type: 'Startup'
              tcpSocket: { port: port }
              initialDelaySeconds: 3
              periodSeconds: 10
              failureThreshold: 10
            }
            // Alive: still accepting connections. Not /api/health: a storage outage or a
            // misconfigured provider makes it 503, and a restart fixes neither.
            {
              type: 'Liveness'
              tcpSocket: { port: port }
              periodSeconds: 30
              failureThreshold: 3
            }
            // Ready for traffic: /api/health answers 200 (ok, or starting while the model loads);
            // a degraded replica (503: storage unreachable, engine failed) gets no new requests.
            {
              type: 'Readiness'
              httpGet: {
                path: '/api/health'
                port: port
                httpHeaders: [{ name: 'Host', value: publicHost }]
              }
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
      }
    }
  }
}

// Built-in authentication: Container Apps signs users in with Entra ID before any request reaches
// the app, and passes who they are in X-MS-CLIENT-PRINCIPAL* headers (AUTH_MODE=entra trusts them).
resource authConfig 'Microsoft.App/containerApps/authConfigs@2025-01-01' = if (authMode == 'entra') {
  parent: app
  name: 'current'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: !empty(entraClientId) ? entraClientId : fail('authMode entra needs entraClientId (AUTH_ENTRA_CLIENT_ID): the app registration\'s client ID')
          clientSecretSettingName: empty(entraClientSecret) ? null : entraSecretName
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [entraClientId, 'api://${entraClientId}']
        }
      }
    }
    login: {
      preserveUrlFragmentsForLogins: true
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

output id string = app.id
output name string = app.name
output fqdn string = app.properties.configuration.ingress.fqdn
output uri string = 'https://${app.properties.configuration.ingress.fqdn}'
