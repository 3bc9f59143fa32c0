using MudBlazor;

namespace PushConsole.Components.Theme;

/// <summary>The console's one palette (light and dark) and type scale; every page takes its colours from here.</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            // indigo/pink pair with AA contrast on white for text and buttons
            Primary = "#3f3bb8",
            Secondary = "#b0124f",
            Tertiary = "#00796b",
            Info = "#0b6bcb",
            Success = "#1b7a3a",
            Warning = "#8a5a00",
            Error = "#c62828",
            AppbarBackground = "#2c2a8f",
            AppbarText = "#ffffff",
            Background = "#f6f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "rgba(0,0,0,0.82)",
            TextPrimary = "rgba(0,0,0,0.87)",
            TextSecondary = "rgba(0,0,0,0.66)",
            ActionDefault = "rgba(0,0,0,0.66)",
            LinesDefault = "rgba(0,0,0,0.14)",
            TableLines = "rgba(0,0,0,0.10)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9c9aff",
            // light buttons in the dark theme take dark text (white on #9c9aff fails WCAG AA)
            PrimaryContrastText = "#16153a",
            Secondary = "#ff7fae",
            SecondaryContrastText = "#3a0d1f",
            Tertiary = "#4fd1c5",
            Info = "#64b5f6",
            Success = "#66bb6a",
            Warning = "#ffb74d",
            Error = "#ef7070",
            AppbarBackground = "#1c1b2e",
            AppbarText = "#ececf6",
            Background = "#121220",
            Surface = "#1c1c2c",
            DrawerBackground = "#18182a",
            DrawerText = "rgba(255,255,255,0.85)",
            TextPrimary = "rgba(255,255,255,0.90)",
            TextSecondary = "rgba(255,255,255,0.70)",
            ActionDefault = "rgba(255,255,255,0.72)",
            LinesDefault = "rgba(255,255,255,0.16)",
            TableLines = "rgba(255,255,255,0.12)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
            H4 = new H4Typography { FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.3" },
            H5 = new H5Typography { FontSize = "1.35rem", FontWeight = "600", LineHeight = "1.35" },
            H6 = new H6Typography { FontSize = "1.1rem", FontWeight = "600", LineHeight = "1.4" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", DrawerWidthLeft = "250px" },
    };
}
