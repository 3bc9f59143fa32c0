using System.ComponentModel.DataAnnotations;

namespace PushConsole.Game;

/// <summary>Anti-cheat settings of QR hunts (section <c>Game</c>).</summary>
public sealed class GameOptions
{
    public const string Section = "Game";

    /// <summary>A user waits this long between two scans (any hunt): codes are found by walking, not by photographing a sheet.</summary>
    [Range(0, 3600)]
    public int ScanCooldownSeconds { get; set; } = 10;

    /// <summary>At most this many points per user, challenge and UTC day from scans; 0 = no cap.</summary>
    [Range(0, 1_000_000)]
    public int DailyPointCapPerChallenge { get; set; }
}
