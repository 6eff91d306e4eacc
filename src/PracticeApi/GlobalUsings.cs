// The building blocks every feature uses: the request's HTTP helpers and failures, the caller and its roles, the units of
// work, and the audit trail.
global using PracticeApi.Infrastructure;
global using PracticeApi.Infrastructure.Audit;
global using PracticeApi.Infrastructure.Data;
global using PracticeApi.Infrastructure.Http;
global using PracticeApi.Infrastructure.Security;
