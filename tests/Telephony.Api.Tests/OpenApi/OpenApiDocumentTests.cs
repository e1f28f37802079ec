using System.Text.Json;

namespace Telephony.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document is what FoodFlow's frontend generates its client from (issue 12 §7): it must lint clean and
/// a client generated from it must type-check real calls.
/// </summary>
public sealed class OpenApiDocumentTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Document_lints_clean_with_the_redocly_recommended_rules()
    {
        var work = OpenApiTools.CreateWorkFolder();
        try
        {
            var document = Path.Combine(work.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await FetchDocumentAsync(), Ct);
            var (exitCode, json, output) = await OpenApiTools.RunAsync(
                "redocly", work.FullName, "lint", document, "--config", Path.Combine(OpenApiTools.Folder, "redocly.yaml"), "--format", "json", "--max-problems", "1000");
            Assert.True(json.TrimStart().StartsWith('{'), output);

            // Warnings count too: an accepted one is turned off in tools/OpenApi/redocly.yaml with the reason beside it.
            var report = JsonDocument.Parse(json).RootElement;
            var problems = report.GetProperty("problems").EnumerateArray()
                .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}")
                .ToList();
            Assert.True(exitCode == 0 && problems.Count == 0, $"redocly lint exited {exitCode}:\n{string.Join('\n', problems)}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_TypeScript_client_generated_from_the_document_type_checks_a_call()
    {
        var work = OpenApiTools.CreateWorkFolder();
        try
        {
            var document = Path.Combine(work.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await FetchDocumentAsync(), Ct);
            var (generated, _, generateOutput) = await OpenApiTools.RunAsync("openapi-typescript", work.FullName, document, "--output", Path.Combine(work.FullName, "api.d.ts"));
            Assert.True(generated == 0, generateOutput);

            await File.WriteAllTextAsync(Path.Combine(work.FullName, "client.ts"), ClientSource, Ct);
            var (checkedOk, _, tscOutput) = await OpenApiTools.RunAsync(
                "tsc", work.FullName, "--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022,dom", "client.ts");
            Assert.True(checkedOk == 0, tscOutput);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task<string> FetchDocumentAsync()
    {
        using var client = api.CreateAnonymousClient();
        return await client.GetStringAsync("openapi/v1.json", Ct);
    }

    // What FoodFlow's frontend writes: a typed query, a typed page, typed problem details; and one call that must not compile.
    private const string ClientSource = """
        import createClient from "openapi-fetch";
        import type { components, paths } from "./api";

        // JSON only: the history also answers text/csv, which a JSON client does not ask for.
        const client = createClient<paths, "application/json" | "application/problem+json">({
          baseUrl: "https://telephony.example",
          headers: { Authorization: "Bearer key" },
        });

        export async function newestMissedFrom(phone: string): Promise<string[]> {
          const { data, error } = await client.GET("/api/calls/logs", {
            params: { query: { limit: 20, direction: "inbound", status: "missed", phone } },
          });
          if (error) {
            const title: string | null | undefined = error.title;
            throw new Error(title ?? "history failed");
          }
          const total: number = data.total;
          const calls: components["schemas"]["CallDto"][] = data.items;
          return calls.slice(0, total).map((call) => call.id);
        }

        export async function dial(from: string, to: string): Promise<string> {
          const { data, error } = await client.POST("/api/calls/dial", { body: { from, to, autoAnswer: true } });
          if (error) {
            throw new Error(error.title ?? "dial failed");
          }
          return data.commandId;
        }

        export async function wrongQueryType(): Promise<void> {
          // @ts-expect-error limit is a number, not a string
          await client.GET("/api/calls/logs", { params: { query: { limit: "twenty" } } });
        }
        """;
}
