using System.Net;
using System.Text.RegularExpressions;

namespace PushConsole.Attendee;

/// <summary>
/// The web attendee page (<c>/attendee/{appKey}</c>): subscribes the browser with the app's VAPID key, registers it
/// through the client API and, with its service worker (<c>wwwroot/attendee/sw.js</c>), shows pushes and reports opens.
/// </summary>
public static partial class AttendeeEndpoints
{
    public static WebApplication MapAttendee(this WebApplication app)
    {
        app.MapGet("/attendee/{appKey}", (string appKey) =>
            AppKey().IsMatch(appKey)
                ? Results.Content(Page(appKey), "text/html; charset=utf-8")
                : Results.NotFound())
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static string Page(string appKey) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Event notifications</title>
          <style>
            body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1d2433; }
            button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: .4rem; border: 0; background: #3d5afe; color: #fff; cursor: pointer; }
            button:disabled { opacity: .6; }
            .muted { color: #667085; font-size: .85rem; }
          </style>
        </head>
        <body>
          <main id="attendee" data-app-key="{{WebUtility.HtmlEncode(appKey)}}" data-state="loading">
            <h1>Notifications from <span id="app-name">the event</span></h1>
            <p>Get program changes, session reminders and announcements on this device.</p>
            <p><button id="enable" type="button">Turn notifications on</button></p>
            <p id="status" role="status">Loading…</p>
            <p class="muted">This browser's installation id: <span id="installation-id"></span></p>
          </main>
          <script src="/attendee/attendee.js"></script>
        </body>
        </html>
        """;

    [GeneratedRegex("^ak_[A-Za-z0-9]{24}$")]
    private static partial Regex AppKey();
}
