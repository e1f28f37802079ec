using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;
using Telephony.Api.Admin;
using Telephony.Api.CallLinks;
using Telephony.Api.Calls;
using Telephony.Api.Commands;
using Telephony.Api.Customers;
using Telephony.Api.Fleet;
using Telephony.Api.Health;
using Telephony.Api.Hosting;
using Telephony.Api.LiveEvents;
using Telephony.Api.OpenApi;
using Telephony.Api.PbxEvents;
using Scalar.AspNetCore;
using Telephony.Api.PhoneExtensions;
using Telephony.Api.RateLimiting;
using Telephony.Api.Recordings;
using Telephony.Api.Statistics;
using Telephony.Api.Telemetry;
using Telephony.Api.Tenancy;
using Telephony.Core.Customers;
using Telephony.Core.Recordings;
using Telephony.Core.Fleet;
using Telephony.Core.Secrets;
using Telephony.Core.Statistics;
using Telephony.Core.Storage;
using Telephony.Core.Tenancy;

var builder = WebApplication.CreateBuilder(args);

// Configuration: environment variables of design.md §7, checked before anything starts.
var databaseUrl = builder.Configuration["DATABASE_URL"];
if (string.IsNullOrWhiteSpace(databaseUrl))
{
    throw new InvalidOperationException("DATABASE_URL is not set: give a postgresql:// URI or an Npgsql connection string (scripts/up sets one for the local database).");
}

// A bootstrap admin key too short to be one would be ignored, and every admin call would get a puzzling 401.
if (builder.Configuration["TELEPHONY_ADMIN_KEY"] is { Length: > 0 and < 16 } shortAdminKey)
{
    throw new InvalidOperationException($"TELEPHONY_ADMIN_KEY is {shortAdminKey.Length} characters: a bootstrap admin key needs at least 16 (e.g. openssl rand -hex 24), or leave it unset.");
}

// A CRM address that is not one would silently fall back to the built-in customer table.
if (builder.Configuration["CRM_LOOKUP_URL"] is { Length: > 0 } crmSetting
    && !(Uri.TryCreate(crmSetting, UriKind.Absolute, out var crmUri) && (crmUri.Scheme == Uri.UriSchemeHttps || crmUri.Scheme == Uri.UriSchemeHttp)))
{
    throw new InvalidOperationException("CRM_LOOKUP_URL is not an http(s) URL: give FoodFlow's CRM lookup address, e.g. https://crm.example.com/lookup, or leave it unset for the built-in customer table.");
}

// Bodies are small JSON; the events endpoint raises its own limit for batches.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
builder.WebHost.UseUrls(builder.Configuration["ASPNETCORE_URLS"] ?? $"http://0.0.0.0:{builder.Configuration["PORT"] ?? "3008"}");
builder.Services.AddOptions<CallTrackingOptions>().BindConfiguration(CallTrackingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<CommandOptions>().BindConfiguration(CommandOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<DemoTenantOptions>().Configure(o =>
{
    o.AgentKey = builder.Configuration["DEMO_AGENT_KEY"];
    o.BridgeKey = builder.Configuration["DEMO_BRIDGE_KEY"];
    o.TimeZone = builder.Configuration["YEASTAR_TIMEZONE"] ?? o.TimeZone;
    o.DateFormat = builder.Configuration["YEASTAR_DATE_FORMAT"] ?? o.DateFormat;
}).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);

// Secrets: PBX client secrets are sealed under TELEPHONY_SECRETS_KEY (TELEPHONY_SECRETS_KEY_PREVIOUS still opens); a bad key stops start-up.
var secretCipher = SecretCipher.FromConfiguration(builder.Configuration["TELEPHONY_SECRETS_KEY"], builder.Configuration["TELEPHONY_SECRETS_KEY_PREVIOUS"]);
builder.Services.AddSingleton(new PbxSecrets(secretCipher));

// Storage: one NpgsqlDataSource; repositories; migrations and the demo tenant at start.
builder.Services.AddSingleton(_ => TelephonyDataSource.Create(databaseUrl));
builder.Services.AddSingleton(_ => TelephonyDataSource.CreateForRebuildableWrites(databaseUrl));
builder.Services.AddSingleton<SchemaMigrator>();
builder.Services.AddSingleton(sp => new EventJournal(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<RebuildableWrites>()));
builder.Services.AddSingleton<CallRepository>();
builder.Services.AddSingleton(sp => new ExtensionRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<RebuildableWrites>()));
builder.Services.AddSingleton<TenantRepository>();
builder.Services.AddSingleton<FleetRepository>();
builder.Services.AddSingleton<PbxLeaseRepository>();
builder.Services.AddSingleton<FleetBridgeRegistry>();
builder.Services.AddSingleton(sp => new ApiKeyRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), builder.Configuration["TELEPHONY_KEY_PEPPER"]));
builder.Services.AddSingleton<ApiKeyLookup>();
builder.Services.AddSingleton<StatisticsRepository>();
builder.Services.AddSingleton<DemoTenantSeeder>();
builder.Services.AddHostedService<StartupMigrationService>();

// Orleans: co-hosted silo, localhost clustering by default, Azure Table clustering for replicas (OrleansClustering);
// ports from configuration so tests can pick free ones.
// A cancelled call ends only once its grain has seen the cancellation: a bridge's abandoned long poll must have let go
// of the command queue before the next command arrives, or that command goes to nobody.
// Telemetry (OTLP / Azure Monitor when configured): a traced request's context flows on through the grain calls.
var telemetry = builder.AddTelephonyTelemetry();
builder.UseOrleans(silo =>
{
    silo.UseTelephonyClustering(builder.Configuration)
        .Configure<Orleans.Configuration.SiloMessagingOptions>(o => o.WaitForCancellationAcknowledgement = true);
    if (telemetry)
    {
        silo.AddActivityPropagation();
    }
});

// Customers: who is calling (built-in directory or FoodFlow's CRM), cached; Redis behind the cache when REDIS_URL is set.
builder.Services.AddOptions<CustomerOptions>().BindConfiguration(CustomerOptions.SectionName)
    .Configure(o => o.CrmLookupUrl ??= Uri.TryCreate(builder.Configuration["CRM_LOOKUP_URL"], UriKind.Absolute, out var crm) ? crm : null)
    .ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<CustomerRepository>();
builder.Services.AddSingleton<DemoCustomerSeeder>();
builder.Services.AddSingleton<CustomerLookup>();
builder.Services.AddHybridCache();
if (builder.Configuration["REDIS_URL"] is { Length: > 0 } redisUrl)
{
    builder.Services.AddStackExchangeRedisCache(o => o.Configuration = redisUrl);
}

if (Uri.TryCreate(builder.Configuration["CRM_LOOKUP_URL"] ?? builder.Configuration["Customers:CrmLookupUrl"], UriKind.Absolute, out var crmUrl))
{
    builder.Services.AddHttpClient<ICustomerDirectory, CrmCustomerDirectory>((sp, http) =>
    {
        http.BaseAddress = crmUrl;
        http.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CustomerOptions>>().Value.CrmTimeout;
    });
}
else
{
    builder.Services.AddSingleton<ICustomerDirectory, PostgresCustomerDirectory>();
}

// Ingest: journal, dispatch to grains, replay what a crash left unapplied.
builder.Services.AddSingleton<PbxEventDispatcher>();
builder.Services.AddSingleton(sp => new CallLogBatchWriter(sp.GetRequiredService<RebuildableWrites>().DataSource));
builder.Services.AddSingleton<CallActivationReads>();
builder.Services.AddSingleton<CallMetrics>();
builder.Services.AddSingleton<PbxIngestMetrics>();
builder.Services.AddSingleton<CallLogWriteBehind>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CallLogWriteBehind>());
builder.Services.AddSingleton<PbxSettingsLookup>();
builder.Services.AddSingleton<PbxEventIngestor>();
builder.Services.AddSingleton<ReplicaLeadership>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ReplicaLeadership>());
builder.Services.AddSingleton<JournalReplayService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<JournalReplayService>());
builder.Services.AddHostedService<SilentBridgeWatchdog>();

// Recordings: archived by the bridges into Blob Storage; the retention sweep runs on the leading replica.
builder.Services.AddSingleton<RecordingRepository>();
builder.Services.AddSingleton<RecordingStore>();
builder.Services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<RecordingRetentionSweep>();

// Live events: SignalR hub on this host; across replicas through Azure SignalR Service or the Redis backplane.
builder.Services.AddSignalR().AddTelephonyScaleOut(builder.Configuration);
builder.Services.AddSingleton<ILiveEventPublisher, HubLiveEventPublisher>();
// One key ring for every replica, in PostgreSQL (sealed with TELEPHONY_SECRETS_KEY when it is set): a hub token issued
// by one replica is read by the others.
builder.Services.AddDataProtection().SetApplicationName("Telephony.Api");
builder.Services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource>((o, dataSource) =>
{
    o.XmlRepository = new PostgresKeyRing(dataSource);
    if (secretCipher is not null)
    {
        o.XmlEncryptor = new SecretsKeyXmlEncryptor(secretCipher);
    }
});
builder.Services.AddSingleton<HubTokens>();

// Auth: API keys (Bearer) scoped to one tenant (roles admin, agent, bridge), or platform-level fleet keys.
builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(AuthPolicies.Agent, p => p.RequireRole("agent", "admin").RequireClaim(TelephonyClaims.Tenant))
    .AddPolicy(AuthPolicies.Admin, p => p.RequireRole("admin"))
    .AddPolicy(AuthPolicies.TenantAdmin, p => p.RequireRole("admin").RequireClaim(TelephonyClaims.Tenant))
    .AddPolicy(AuthPolicies.Bridge, p => p.RequireRole("bridge", "fleet"))
    .AddPolicy(AuthPolicies.Fleet, p => p.RequireRole("fleet"));

// HTTP plumbing: problem details everywhere, CORS only for configured origins, health, OpenAPI (complete enough to generate clients from).
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ErrorStatus.Describe);
builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
    .WithOrigins((builder.Configuration["CORS_ORIGINS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    .AllowAnyHeader().AllowAnyMethod().AllowCredentials()));
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
builder.Services.AddTelephonyOpenApi();
builder.Services.AddPerKeyRateLimiting();

var app = builder.Build();

app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = ErrorStatus.Of });
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseCors();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapHealthEndpoints();
app.MapOpenApi();
if (app.Environment.IsDevelopment() || !string.IsNullOrEmpty(app.Configuration["DEMO_AGENT_KEY"]))
{
    // The reference UI is for people trying the API (development and the scripts/up demo), not for production.
    app.MapScalarApiReference();
}

app.MapPbxEventsApi();
app.MapPbxStatusApi();
app.MapCallsApi();
app.MapCallLinksApi();
app.MapCommandsApi();
app.MapStatisticsApi();
app.MapAdminApi();
app.MapFleetApi();
app.MapExtensionsApi();
app.MapRecordingsApi();
app.MapHub<CallsHub>("/hubs/calls");
app.MapNegotiateApi();

app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
