using System.Text.Json;
using PushConsole.Devices;

namespace PushConsole.EventData;

/// <summary>Body of <c>POST /v4/users/batch</c>: up to <see cref="UserBatchService.MaxRows"/> profiles.</summary>
public sealed class UserBatchRequest
{
    public List<UserBatchRow?>? Users { get; set; }
}

/// <summary>One profile of a batch: the <c>userId</c> and the fields of <c>PUT /v4/users/{userId}</c>, with the same meaning.</summary>
public sealed class UserBatchRow : IUserProfileFields
{
    public string? UserId { get; set; }
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Language { get; set; }
    public string? TimeZone { get; set; }
    /// <summary>Merged by name: a string, number or boolean sets the attribute, null removes it.</summary>
    public Dictionary<string, JsonElement>? Attributes { get; set; }
    /// <summary>Replaces the user's tags when present.</summary>
    public List<string?>? Tags { get; set; }
}

/// <summary>A row that was not stored: its index in the request (0-based), the field and what to fix.</summary>
public sealed record UserBatchError(int Index, string Field, string Detail);

/// <summary>What a batch did: profiles created, profiles updated, and the rows skipped with why.</summary>
public sealed record UserBatchResult(int Created, int Updated, IReadOnlyList<UserBatchError> Errors);

/// <summary>The rows of a batch that passed every check (with their index), and the errors of the others.</summary>
public sealed record ValidatedBatch(IReadOnlyList<(int Index, ValidProfile Profile)> Valid, IReadOnlyList<UserBatchError> Errors);
