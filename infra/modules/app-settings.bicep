// The environment variables of the web app and the worker, computed from plain inputs: only the
// app's settings (each one a variable that lib/config reads, or one planned for sign-in and origin
// checks), no resources. tests/unit/infra.test.ts evaluates this file for several parameter sets
// and feeds the result to the app's own parseConfig(): keep it to literals, params, vars, ternaries,
// comparisons, empty(), concat(), join() and string() so that the test's evaluator can follow it.
// Secret values never pass through here: an entry with `secretRef` names a Container App secret,
// and `webSecretNames` / `workerSecretNames` list the secrets each app must define.

@description('Storage account reached with Entra ID (the apps\' managed identity).')
param storageAccountName string
@description('Client ID of the user-assigned managed identity (DefaultAzureCredential reads AZURE_CLIENT_ID).')
param identityClientId string
param recordingsContainer string
param transcriptsContainer string
param liveContainer string
param transcriptsTable string
param jobsTable string
param jobsQueue string

@description('Whether a separate worker app runs the transcription jobs (the web app then only queues them).')
param deployWorker bool
param jobsConcurrency int
param webSpeechThreads int
param workerSpeechThreads int

@allowed(['local', 'azure'])
param speechProvider string
param speechResourceId string = ''
param speechEndpoint string = ''
param speechRegion string = ''

@allowed(['local', 'azure-openai'])
param summaryProvider string
param openAiEndpoint string = ''
param openAiDeployment string = ''

@allowed(['outbox', 'smtp', 'resend'])
param emailProvider string
param emailFrom string = ''
param smtpHost string = ''
param smtpPort int = 587
param smtpUser string = ''
param hasSmtpPassword bool = false
param hasResendApiKey bool = false

@allowed(['none', 'password', 'entra'])
param authMode string
param entraTenantId string = ''
@description('AUTH_ENTRA_USERS: users allowed in (empty: everyone the tenant signs in).')
param entraAllowedUsers string = ''

@description('Origins the app is reached at (https://host), for the Host and Origin checks.')
param publicOrigins array

var storage = [
  { name: 'STORAGE_PROVIDER', value: 'azure' }
  { name: 'AZURE_STORAGE_ACCOUNT_NAME', value: storageAccountName }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'STORAGE_RECORDINGS_CONTAINER', value: recordingsContainer }
  { name: 'STORAGE_TRANSCRIPTS_CONTAINER', value: transcriptsContainer }
  { name: 'STORAGE_LIVE_CONTAINER', value: liveContainer }
  { name: 'STORAGE_TRANSCRIPTS_TABLE', value: transcriptsTable }
  { name: 'JOBS_TABLE', value: jobsTable }
  { name: 'JOBS_QUEUE', value: jobsQueue }
  { name: 'JOBS_CONCURRENCY', value: string(jobsConcurrency) }
]

var speech = concat(
  [{ name: 'SPEECH_PROVIDER', value: speechProvider }],
  speechProvider == 'azure'
    ? [
        { name: 'AZURE_SPEECH_USE_ENTRA_ID', value: 'true' }
        { name: 'AZURE_SPEECH_RESOURCE_ID', value: speechResourceId }
        { name: 'AZURE_SPEECH_ENDPOINT', value: speechEndpoint }
        { name: 'AZURE_SPEECH_REGION', value: speechRegion }
      ]
    : []
)

var summary = concat(
  [{ name: 'SUMMARY_PROVIDER', value: summaryProvider }],
  summaryProvider == 'azure-openai'
    ? [
        { name: 'AZURE_OPENAI_ENDPOINT', value: openAiEndpoint }
        { name: 'AZURE_OPENAI_DEPLOYMENT', value: openAiDeployment }
        { name: 'AZURE_OPENAI_USE_ENTRA_ID', value: 'true' }
      ]
    : []
)

var email = concat(
  [{ name: 'EMAIL_PROVIDER', value: emailProvider }],
  empty(emailFrom) ? [] : [{ name: 'EMAIL_FROM', value: emailFrom }],
  emailProvider == 'smtp'
    ? concat(
        [
          { name: 'SMTP_HOST', value: smtpHost }
          { name: 'SMTP_PORT', value: string(smtpPort) }
        ],
        empty(smtpUser) ? [] : [{ name: 'SMTP_USER', value: smtpUser }],
        hasSmtpPassword ? [{ name: 'SMTP_PASSWORD', secretRef: 'smtp-password' }] : []
      )
    : [],
  emailProvider == 'resend' && hasResendApiKey ? [{ name: 'RESEND_API_KEY', secretRef: 'resend-api-key' }] : []
)

var auth = concat(
  [{ name: 'AUTH_MODE', value: authMode }],
  authMode == 'password'
    ? [
        { name: 'AUTH_SECRET', secretRef: 'auth-secret' }
        { name: 'AUTH_USERS', secretRef: 'auth-users' }
      ]
    : [],
  authMode == 'entra' ? [{ name: 'AUTH_ENTRA_TENANTS', value: entraTenantId }] : [],
  authMode == 'entra' && !empty(entraAllowedUsers) ? [{ name: 'AUTH_ENTRA_USERS', value: entraAllowedUsers }] : []
)

var web = concat(
  [
    // Inside the container: all interfaces, behind Container Apps' ingress (X-Forwarded-For).
    { name: 'HOST', value: '0.0.0.0' }
    { name: 'PORT', value: '3000' }
    { name: 'TRUST_PROXY', value: 'true' }
    { name: 'PUBLIC_ORIGINS', value: join(publicOrigins, ',') }
    { name: 'SPEECH_THREADS', value: string(webSpeechThreads) }
  ],
  deployWorker ? [{ name: 'JOBS_WORKER', value: 'off' }] : [],
  storage,
  speech,
  summary,
  email,
  auth
)

var worker = concat([{ name: 'SPEECH_THREADS', value: string(workerSpeechThreads) }], storage, speech)

output webEnv array = web
output workerEnv array = worker
output webSecretNames array = concat(
  authMode == 'password' ? ['auth-secret', 'auth-users'] : [],
  emailProvider == 'smtp' && hasSmtpPassword ? ['smtp-password'] : [],
  emailProvider == 'resend' && hasResendApiKey ? ['resend-api-key'] : []
)
output workerSecretNames array = []
