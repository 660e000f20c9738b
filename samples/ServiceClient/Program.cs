using ServiceClient;

var builder = Host.CreateApplicationBuilder(args);

// TokenClient:* (authority, client id, secret or private key) and Worker:* (the API, how often) come from appsettings.json,
// the environment (TokenClient__ClientSecret=...) or the command line (--TokenClient:PrivateKeyFile ...).
builder.Services.AddOptions<TokenClientOptions>().Bind(builder.Configuration.GetSection("TokenClient")).ValidateOnStart();
builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection("Worker"));
builder.Services.AddSingleton(TimeProvider.System);

// One token cache for the process: every call shares its token until shortly before it expires.
builder.Services.AddHttpClient<ClientCredentialsTokenCache>();
builder.Services.AddHttpClient<OrdersWorker>();
builder.Services.AddHostedService(services => services.GetRequiredService<OrdersWorker>());

builder.Build().Run();
