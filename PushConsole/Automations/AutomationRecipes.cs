namespace PushConsole.Automations;

/// <summary>A ready-made automation: a starting point the console loads into the builder, where every part stays editable.</summary>
public sealed record AutomationRecipe(string Key, string Title, string Description, string Json);

/// <summary>The recipes on the automations page (and the demo's running automation).</summary>
public static class AutomationRecipes
{
    public static readonly IReadOnlyList<AutomationRecipe> All =
    [
        new("welcome", "Welcome on arrival", "A push when an attendee's phone enters the venue geofence; once per attendee.", """
            { "name": "Welcome at the venue", "enabled": true,
              "trigger": { "event": { "type": "geofence_entered", "geofence_id": "venue" } },
              "steps": [ { "push": { "notification": { "alert": "Welcome, {{user.display_name | friend}}! Badges are at the main desk.",
                                                        "ios": { "alert": { "title": "You made it", "body": "Welcome, {{user.display_name | friend}}! Badges are at the main desk." } } } } },
                         { "tag": { "add": ["arrived"] } } ],
              "reentry": "never" }
            """),
        new("missed", "You missed it — here is the recording", "After a favourite, if the attendee checks in nowhere for 3 hours, a push with the recording.", """
            { "name": "Missed a favourite", "enabled": true,
              "trigger": { "event": { "type": "session_favorited" } },
              "steps": [ { "delay": { "seconds": 10800 } },
                         { "push": { "notification": { "alert": "You missed {{session.title | a session you saved}} — the recording is in the app." } } } ],
              "reentry": { "cooldown_seconds": 0 },
              "exit_on": [ { "type": "session_checked_in" } ] }
            """),
        new("suggest", "Suggested next session", "30 minutes after a check-in, the next session sharing a track or speaker with what the attendee attended; no suggestion, no push.", """
            { "name": "Suggested sessions", "enabled": true,
              "trigger": { "event": { "type": "session_checked_in" } },
              "steps": [ { "delay": { "seconds": 1800 } },
                         { "push": { "notification": { "alert": "Next for you: {{suggested_session.title}} at {{suggested_session.starts_at}}, {{suggested_session.room}}" } } } ],
              "reentry": { "cooldown_seconds": 10800 } }
            """),
        new("reengage", "Re-engage after 24 h", "A push to attendees who have not opened the app for 24 hours.", """
            { "name": "Re-engage the quiet ones", "enabled": true,
              "trigger": { "inactivity": { "seconds": 86400 } },
              "steps": [ { "push": { "notification": { "alert": "{{user.display_name | Hi}}, the afternoon sessions are starting — see what's on." } } } ],
              "reentry": { "cooldown_seconds": 86400 } }
            """),
        new("networking", "Networking", "When someone shares their profile with an attendee (custom event profile_shared).", """
            { "name": "Profile shared", "enabled": true,
              "trigger": { "event": { "type": "custom", "name": "profile_shared" } },
              "steps": [ { "push": { "notification": { "alert": "{{event.properties.by | Someone}} shared their profile with you. Say hello!" } } } ],
              "reentry": { "cooldown_seconds": 0 } }
            """),
        new("hall", "Next session in this hall", "Entering a hall's geofence: what starts next in its room (the geofence's linked room sets the session).", """
            { "name": "Next in this hall", "enabled": true,
              "trigger": { "event": { "type": "geofence_entered", "geofence_id": "hall-b" } },
              "steps": [ { "push": { "notification": { "alert": "Next in {{session.room | this hall}}: {{session.title | see the agenda}} at {{session.starts_at | soon}}" } } } ],
              "reentry": { "cooldown_seconds": 3600 } }
            """),
        new("shuttle", "Shuttle times when leaving", "Leaving the venue geofence: when the shuttles go.", """
            { "name": "Shuttles on the way out", "enabled": true,
              "trigger": { "event": { "type": "geofence_exited", "geofence_id": "venue" } },
              "steps": [ { "push": { "notification": { "alert": "Shuttles to the city centre leave Gate 2 every 20 minutes until 22:00." } } } ],
              "reentry": { "cooldown_seconds": 21600 } }
            """),
    ];

    public static AutomationRecipe? Find(string? key) => All.FirstOrDefault(r => r.Key == key);
}
