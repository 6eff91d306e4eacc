// The building blocks every feature uses: the request's HTTP helpers and failures, the caller and its roles, the units
// of work, the audit trail, and the care rules (caseload, in care, safety hold).
global using PracticeApi.Infrastructure;
global using PracticeApi.Infrastructure.Audit;
global using PracticeApi.Infrastructure.Data;
global using PracticeApi.Infrastructure.Http;
global using PracticeApi.Infrastructure.Security;
global using PracticeApi.Features.Care;
global using PracticeApi.Infrastructure.Text;
