using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using PushConsole.Accounts;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Audience;

/// <summary>Body of POST/PUT /v4/segments: a name and/or rules (see <see cref="RulesJson"/>).</summary>
public sealed class SegmentRequest
{
    public string? Name { get; set; }
    private JsonElement? _rules;

    public JsonElement? Rules
    {
        get => _rules;
        set { _rules = value; RulesGiven = true; }
    }

    /// <summary>Whether the body had a <c>rules</c> property at all (null included): null is an error, absent keeps the stored rules.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public bool RulesGiven { get; private set; }
    /// <summary>True saves a segment of every installation (no rules); never implied by absent or empty rules.</summary>
    public bool? Everyone { get; set; }
}

/// <summary>A segment on the wire. <c>id</c> is a string: it is what <c>to.segment</c> of /v4/push takes.</summary>
public sealed record SegmentResponse(string Id, string Name, JsonElement Rules, DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt, string UpdatedBy)
{
    public static SegmentResponse Of(SegmentView s) =>
        new(s.Id.ToString(CultureInfo.InvariantCulture), s.Name, RulesJson.ToElement(s.Rules), s.CreatedAt, s.CreatedBy, s.UpdatedAt, s.UpdatedBy);
}

public sealed record FieldResponse(string Field, string Label, string Group, string Description, string? Name, int? DefaultDays,
    IReadOnlyList<OperatorResponse> Operators, IReadOnlyList<Choice>? Choices);

public sealed record OperatorResponse(string Operator, string Label, string Value);

/// <summary>Server API for segments (Basic appKey:masterSecret) and the console's CSV download (cookie, organizer).</summary>
public static class SegmentEndpoints
{
    public static IEndpointRouteBuilder MapSegmentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v4/segments").RequireAuthorization(Policies.ServerApi).WithTags("Segments");

        api.MapGet("/", async (ClaimsPrincipal caller, SegmentService segments, CancellationToken ct) =>
                TypedResults.Ok((await segments.ListAsync(caller.GetAppId(), ct)).Select(SegmentResponse.Of).ToList()))
            .WithSummary("The app's saved segments with their rules.");

        api.MapPost("/", async (SegmentRequest body, ClaimsPrincipal caller, HttpContext http, SegmentService segments, CancellationToken ct) =>
            {
                var rules = SegmentInput.Read(body, required: true);
                var created = await segments.CreateAsync(caller.GetAppId(), body.Name, rules, ApiActor(caller, http), ct);
                return TypedResults.Created($"/v4/segments/{created.Id}", SegmentResponse.Of(created));
            })
            .WithSummary("Save a segment: {\"name\": \"Speakers in Europe\", \"rules\": {\"version\": 1, \"root\": {\"match\": \"all\", \"rules\": […]}}}.")
            .WithDescription("A rule is a condition {\"field\", \"name\" (attribute or category), \"operator\", \"value\", \"days\"} or a group " +
                             "{\"match\": \"all\"|\"any\", \"not\": true|false, \"rules\": […]}; GET /v4/segments/fields lists the fields and their operators. " +
                             "At most 5 levels and 50 conditions; \"member of segment\" must not lead back to the segment. Bad rules: 400 naming each path " +
                             "(rules.root.rules[1].value), nothing saved. rules are required and need at least one condition; a segment of every " +
                             "installation is saved with \"everyone\": true and no rules.");

        api.MapGet("/fields", () => TypedResults.Ok(SegmentFields.All.Select(f => new FieldResponse(f.Id, f.Label, f.Group, f.Description, f.NameLabel, f.DefaultDays,
                f.Operators.Select(o => new OperatorResponse(o.Operator, SegmentFields.OperatorLabel(f.Id, o.Operator), ValueName(o.Kind))).ToList(),
                f.Id == SegmentFields.Country ? null : f.Choices)).ToList()))
            .WithSummary("The field catalogue: each field's operators and the value each operator takes.")
            .WithDescription("Value kinds: none, choices (an array of the field's choices), text, text_list, number, number_range ([low, high]), " +
                             "date (yyyy-MM-dd as a UTC day, or an ISO 8601 instant), days (1–3650), count, version, version_list, segments (segment ids), " +
                             "sessions (agenda session ids, as apps and imports use them), track (one track name, exact). " +
                             "Countries are ISO 3166 codes (FR, DE, US…).");

        api.MapPost("/count", async (SegmentRequest body, ClaimsPrincipal caller, SegmentQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.CountAsync(caller.GetAppId(), ReadRules(body.Rules) ?? SegmentRules.Everyone(), ct)))
            .WithSummary("Count the installations that unsaved rules match, by platform (recipients: those in state subscribed).");

        api.MapGet("/{id}", async (string id, ClaimsPrincipal caller, SegmentService segments, CancellationToken ct) =>
                TypedResults.Ok(SegmentResponse.Of(await segments.GetAsync(caller.GetAppId(), ParseId(id), ct))))
            .WithSummary("One segment.");

        api.MapPut("/{id}", async (string id, SegmentRequest body, ClaimsPrincipal caller, HttpContext http, SegmentService segments, CancellationToken ct) =>
                TypedResults.Ok(SegmentResponse.Of(await segments.UpdateAsync(caller.GetAppId(), ParseId(id), body.Name, SegmentInput.Read(body, required: false), ApiActor(caller, http), ct))))
            .WithSummary("Rename a segment and/or replace its rules (an absent field stays as it is; \"everyone\": true clears the rules).");

        api.MapDelete("/{id}", async (string id, ClaimsPrincipal caller, HttpContext http, SegmentService segments, CancellationToken ct) =>
            {
                await segments.DeleteAsync(caller.GetAppId(), ParseId(id), ApiActor(caller, http), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a segment; 409 naming what uses it (another segment's rules, a scheduled campaign) while anything does.");

        api.MapGet("/{id}/count", async (string id, ClaimsPrincipal caller, SegmentQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.CountAsync(caller.GetAppId(), ParseId(id), ct)))
            .WithSummary("How many installations the segment matches now, by platform, and how many of them can get a visible push (recipients).");

        api.MapGet("/{id}/users.csv", (string id, ClaimsPrincipal caller, HttpContext http, SegmentQueries queries, AuditLog audit, CancellationToken ct) =>
                WriteCsvAsync(http, caller.GetAppId(), ParseId(id), ApiActor(caller, http), queries, audit, ct))
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("CSV of the distinct user ids the segment matches (header user_id); devices without a user are left out.");

        // the console's download link: cookie sign-in, organizer or admin
        app.MapGet("/console-api/segments/{id:long}/users.csv", async (long id, ClaimsPrincipal user, HttpContext http, SegmentService segments,
                SegmentQueries queries, AuditLog audit, CancellationToken ct) =>
            {
                var appId = await segments.AppOfAsync(id, ct);
                await WriteCsvAsync(http, appId, id, Actor.Of(user, http.Connection.RemoteIpAddress?.ToString()), queries, audit, ct);
            })
            .RequireAuthorization(Policies.Organizer).ExcludeFromDescription();
        return app;
    }

    private static async Task WriteCsvAsync(HttpContext http, long appId, long segmentId, Actor actor, SegmentQueries queries, AuditLog audit, CancellationToken ct)
    {
        var segment = await http.RequestServices.GetRequiredService<SegmentService>().GetAsync(appId, segmentId, ct);
        http.Response.ContentType = "text/csv; charset=utf-8";
        var file = string.Concat(segment.Name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
        http.Response.Headers.ContentDisposition = Downloads.Attachment($"segment-{segmentId}-{file}.csv");
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), 64 * 1024);
        var count = await queries.WriteUserIdsCsvAsync(appId, segmentId, writer, ct);
        await writer.FlushAsync(ct);
        await audit.RecordAsync(actor, "segment.exported", segment.Name, $"{count} user ids", ct);
    }

    private static SegmentRules? ReadRules(JsonElement? json)
    {
        var errors = new FieldErrors();
        var rules = SegmentService.ReadRules(json, errors);
        errors.ThrowIfAny();
        return rules;
    }

    private static long ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new NotFoundException($"There is no segment \"{id}\".");

    private static string ValueName(ValueKind kind) => kind switch
    {
        ValueKind.TextList => "text_list", ValueKind.NumberRange => "number_range", ValueKind.VersionList => "version_list",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static Actor ApiActor(ClaimsPrincipal caller, HttpContext http) =>
        new($"api:{caller.FindFirst(AppClaims.AppKey)?.Value}", http.Connection.RemoteIpAddress?.ToString());
}
