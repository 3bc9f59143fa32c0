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
        app.MapGet("/attendee/{appKey}", async (string appKey, Apps.AppService apps, CancellationToken ct) =>
                AppKey().IsMatch(appKey) && await apps.FindPublicNameAsync(appKey, ct) is { } name
                    ? Results.Content(Page(appKey, name), "text/html; charset=utf-8")
                    // a mistyped or old link gets a page a person can read, not a problem document
                    : Results.Content(NotFound(), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private const string Style = """
          <style>
            body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1d2433; }
            button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: .4rem; border: 0; background: #3f3bb8; color: #fff; cursor: pointer; }
            button:focus-visible { outline: 3px solid #b0124f; outline-offset: 2px; }
            button:disabled { opacity: .6; }
            [data-state=error] #status { color: #b3261e; }
            #inbox-items { list-style: none; padding: 0; }
            #inbox-items li { border-top: 1px solid #d5d9e2; padding: .6rem 0; overflow-wrap: anywhere; }
            #inbox-items .item-open { background: none; color: #1d2433; padding: 0; text-align: left; width: 100%; }
            #inbox-items li[data-read=false] .item-open { font-weight: 700; }
            #inbox-items time, #inbox-items .state { color: #555e70; font-size: .85rem; }
            #inbox-items .links a { margin-right: 1rem; display: inline-block; padding: .3rem 0; }
          </style>
        """;

    private static string NotFound() => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Page not found</title>
        {{Style}}
        </head>
        <body>
          <main id="attendee-not-found">
            <h1>This notification page does not exist</h1>
            <p>The link may be mistyped or out of date. Open the link the event gave you again, or ask the organizers for the current one.</p>
          </main>
        </body>
        </html>
        """;

    private static string Page(string appKey, string publicName) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{{WebUtility.HtmlEncode(Title(publicName))}}</title>
        {{Style}}
        </head>
        <body>
          <main id="attendee" data-app-key="{{WebUtility.HtmlEncode(appKey)}}" data-app-name="{{WebUtility.HtmlEncode(publicName)}}" data-state="loading">
            <h1>Notifications from <span id="app-name">{{WebUtility.HtmlEncode(publicName == "" ? "the event" : publicName)}}</span></h1>
            <p>Get program changes, session reminders and announcements on this device.</p>
            <p><button id="enable" type="button">Turn notifications on</button></p>
            <p id="status" role="status">Loading…</p>
            <section id="inbox" aria-labelledby="inbox-title" hidden>
              <h2 id="inbox-title">Messages</h2>
              <p><button id="inbox-refresh" type="button">Refresh</button></p>
              <p id="inbox-empty" hidden>No messages yet.</p>
              <ul id="inbox-items"></ul>
            </section>
          </main>
          <script src="/attendee/attendee.js"></script>
        </body>
        </html>
        """;

    private static string Title(string publicName) => publicName == "" ? "Event notifications" : $"{publicName} · notifications";

    [GeneratedRegex("^ak_[A-Za-z0-9]{24}$")]
    private static partial Regex AppKey();
}
