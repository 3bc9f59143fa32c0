using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PushConsole.Api;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sending.Providers;

namespace PushConsole.Campaigns.Compose;

/// <summary>Compose content saved under a name (variants, languages, options; no audience or schedule), to start a new campaign from.</summary>
public sealed class ComposeTemplate
{
    public long Id { get; set; }
    public long AppId { get; set; }
    public required string Name { get; set; }
    /// <summary>The content as JSON (<see cref="TemplateContent"/>).</summary>
    public required string Content { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class ComposeTemplateConfiguration : IEntityTypeConfiguration<ComposeTemplate>
{
    public const int MaxName = 200;

    public void Configure(EntityTypeBuilder<ComposeTemplate> builder)
    {
        builder.ToTable("compose_templates");
        builder.Property(t => t.Name).HasMaxLength(MaxName);
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
        builder.HasIndex(t => new { t.AppId, t.Name }).IsUnique();
        builder.HasOne<Apps.App>().WithMany().HasForeignKey(t => t.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record TemplateChoice(long Id, string Name, DateTime UpdatedAt, string? CreatedBy);

/// <summary>What a template keeps of the compose form.</summary>
public sealed record TemplateContent(
    string DefaultLanguage, List<string> Languages, List<VariantForm> Variants, bool ControlGroup, int ControlWeight, WinnerChoice Winner, int TestPercent,
    int WaitMinutes, string DefaultVariant, PushType PushType, int TtlSeconds, PushPriority Priority, string? CollapseId, string? Category, List<DataPair> CustomData)
{
    public static TemplateContent Of(ComposeForm f) => new(f.DefaultLanguage, [.. f.Languages], f.Variants, f.ControlGroup, f.ControlWeight, f.Winner, f.TestPercent,
        f.WaitMinutes, f.DefaultVariant, f.PushType, f.TtlSeconds, f.Priority, f.CollapseId, f.Category, f.CustomData);

    /// <summary>Writes the content into a form, keeping its app, name, audience and schedule.</summary>
    public void ApplyTo(ComposeForm f)
    {
        f.DefaultLanguage = DefaultLanguage;
        f.Languages = [.. Languages];
        // language keys match case-insensitively in the form, as they do when typed
        f.Variants = [.. Variants.Select(v => { v.Content = new Dictionary<string, ContentForm>(v.Content, StringComparer.OrdinalIgnoreCase); return v; })];
        (f.ControlGroup, f.ControlWeight, f.Winner, f.TestPercent, f.WaitMinutes, f.DefaultVariant) = (ControlGroup, ControlWeight, Winner, TestPercent, WaitMinutes, DefaultVariant);
        (f.PushType, f.TtlSeconds, f.Priority, f.CollapseId, f.Category, f.CustomData) = (PushType, TtlSeconds, Priority, CollapseId, Category, [.. CustomData]);
    }
}

/// <summary>Saved compose content per app: save the form's content under a name (same name replaces it), list, start a form from one, delete.</summary>
public sealed class ComposeTemplates(IDbContextFactory<AppDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<TemplateChoice> SaveAsync(long appId, string? name, ComposeForm form, Actor actor, CancellationToken ct = default)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new BadInputException("templateName", "Name the template, e.g. \"Room change\".");
        if (name.Length > ComposeTemplateConfiguration.MaxName)
            throw new BadInputException("templateName", $"A template name has at most {ComposeTemplateConfiguration.MaxName} characters.");
        if (form.Variants.All(v => v.Content.Values.All(c => c.IsEmpty)))
            throw new BadInputException("templateName", "Write the message first: a template keeps the content.");
        var now = clock.GetUtcNow().UtcDateTime;
        var content = JsonSerializer.Serialize(TemplateContent.Of(form), Json);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var template = await db.Set<ComposeTemplate>().FirstOrDefaultAsync(t => t.AppId == appId && t.Name == name, ct);
        if (template is null)
            db.Add(template = new ComposeTemplate { AppId = appId, Name = name, Content = content, CreatedBy = actor.Name, CreatedAt = now, UpdatedAt = now });
        else
            (template.Content, template.UpdatedAt) = (content, now);
        audit.Add(db, actor, "compose.template_saved", name);
        await db.SaveChangesAsync(ct);
        return new TemplateChoice(template.Id, template.Name, template.UpdatedAt, template.CreatedBy);
    }

    public async Task<IReadOnlyList<TemplateChoice>> ListAsync(long appId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<ComposeTemplate>().AsNoTracking().Where(t => t.AppId == appId).OrderBy(t => t.Name)
            .Select(t => new TemplateChoice(t.Id, t.Name, t.UpdatedAt, t.CreatedBy)).ToListAsync(ct);
    }

    /// <summary>The template's content written into <paramref name="form"/> (its app must be the template's).</summary>
    public async Task ApplyAsync(long templateId, ComposeForm form, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var template = await db.Set<ComposeTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct)
                       ?? throw new NotFoundException($"There is no template {templateId}.");
        if (form.AppId is { } appId && appId != template.AppId) throw new BadInputException("template", "That template belongs to another app.");
        form.AppId = template.AppId;
        JsonSerializer.Deserialize<TemplateContent>(template.Content, Json)!.ApplyTo(form);
    }

    public async Task DeleteAsync(long templateId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var template = await db.Set<ComposeTemplate>().FirstOrDefaultAsync(t => t.Id == templateId, ct) ?? throw new NotFoundException($"There is no template {templateId}.");
        db.Remove(template);
        audit.Add(db, actor, "compose.template_deleted", template.Name);
        await db.SaveChangesAsync(ct);
    }
}
