using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PushConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "apps",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    normalized_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    public_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    app_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    master_secret_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    master_secret_rotated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    default_language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    fcm_project_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    fcm_client_email = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    fcm_private_key_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    fcm_token_uri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    fcm_protected_json = table.Column<string>(type: "TEXT", nullable: true),
                    fcm_updated_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    fcm_last_check_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    fcm_last_check_ok = table.Column<bool>(type: "INTEGER", nullable: true),
                    fcm_last_check_message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    apns_key_id = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    apns_team_id = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    apns_bundle_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    apns_environment = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    apns_protected_key = table.Column<string>(type: "TEXT", nullable: true),
                    apns_public_key_fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    apns_updated_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    vapid_subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    vapid_public_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    vapid_protected_private_key = table.Column<string>(type: "TEXT", nullable: false),
                    vapid_created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_apps", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "asp_net_roles",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "asp_net_users",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_sign_in_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    security_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    access_failed_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    target = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    details = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    remote_address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "segment_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: true),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: true),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_segment_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "agenda_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    start_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    end_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    quiet_time = table.Column<bool>(type: "INTEGER", nullable: false),
                    survey_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    survey_delay_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    survey_url = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    survey_audience = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_agenda_events_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "api_requests",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    endpoint = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    answer = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_requests_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "app_users",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    last_active_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    consent = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false, defaultValueSql: "'unknown'"),
                    consent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    consent_source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_app_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_app_users_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "automations",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    definition = table.Column<string>(type: "TEXT", maxLength: 200000, nullable: false),
                    trigger_kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    next_check_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automations", x => x.id);
                    table.ForeignKey(
                        name: "fk_automations_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "compose_templates",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_compose_templates", x => x.id);
                    table.ForeignKey(
                        name: "fk_compose_templates_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "consent_categories",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    label = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    default_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    transactional = table.Column<bool>(type: "INTEGER", nullable: false),
                    frequency_cap = table.Column<int>(type: "INTEGER", nullable: true),
                    sort_order = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consent_categories", x => x.id);
                    table.ForeignKey(
                        name: "fk_consent_categories_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "consent_settings",
                columns: table => new
                {
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    require_explicit_consent = table.Column<bool>(type: "INTEGER", nullable: false),
                    quiet_hours_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    quiet_start_minute = table.Column<int>(type: "INTEGER", nullable: false),
                    quiet_end_minute = table.Column<int>(type: "INTEGER", nullable: false),
                    frequency_cap = table.Column<int>(type: "INTEGER", nullable: true),
                    cap_window_hours = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consent_settings", x => x.app_id);
                    table.ForeignKey(
                        name: "fk_consent_settings_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "game_challenges",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    points = table.Column<int>(type: "INTEGER", nullable: false),
                    active_from = table.Column<DateTime>(type: "TEXT", nullable: true),
                    active_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    badge = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    event_type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    event_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    event_session_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    event_geofence_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    event_count = table.Column<int>(type: "INTEGER", nullable: false),
                    code_count = table.Column<int>(type: "INTEGER", nullable: false),
                    hints_json = table.Column<string>(type: "TEXT", nullable: true),
                    quiz_json = table.Column<string>(type: "TEXT", nullable: true),
                    launched_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    closes_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: true),
                    revealed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    reveal_campaign_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_game_challenges", x => x.id);
                    table.ForeignKey(
                        name: "fk_game_challenges_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "game_secrets",
                columns: table => new
                {
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    protected_key = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_game_secrets", x => x.app_id);
                    table.ForeignKey(
                        name: "fk_game_secrets_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "geofence_versions",
                columns: table => new
                {
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_geofence_versions", x => x.app_id);
                    table.ForeignKey(
                        name: "fk_geofence_versions_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "geofences",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    radius_m = table.Column<double>(type: "REAL", nullable: false),
                    dwell_seconds = table.Column<int>(type: "INTEGER", nullable: false),
                    cooldown_seconds = table.Column<int>(type: "INTEGER", nullable: false),
                    active_from = table.Column<DateTime>(type: "TEXT", nullable: true),
                    active_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    room = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_geofences", x => x.id);
                    table.ForeignKey(
                        name: "fk_geofences_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ios_categories",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    identifier = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    actions = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ios_categories", x => x.id);
                    table.ForeignKey(
                        name: "fk_ios_categories_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    plan_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_plans_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "segments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    normalized_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    rules = table.Column<string>(type: "TEXT", maxLength: 64000, nullable: false),
                    rules_version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_segments", x => x.id);
                    table.ForeignKey(
                        name: "fk_segments_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "unsubscribes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: true),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unsubscribes", x => x.id);
                    table.ForeignKey(
                        name: "fk_unsubscribes_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "asp_net_role_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    role_id = table.Column<string>(type: "TEXT", nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_role_claims_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "asp_net_roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "asp_net_user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_user_claims_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "asp_net_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "asp_net_user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    provider_key = table.Column<string>(type: "TEXT", nullable: false),
                    provider_display_name = table.Column<string>(type: "TEXT", nullable: true),
                    user_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_asp_net_user_logins_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "asp_net_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "asp_net_user_roles",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    role_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "asp_net_roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "asp_net_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "asp_net_user_tokens",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_asp_net_user_tokens_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "asp_net_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agenda_reminder_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    track = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    offset_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    default_language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    templates = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_reminder_rules", x => x.id);
                    table.ForeignKey(
                        name: "fk_agenda_reminder_rules_agenda_events_event_id",
                        column: x => x.event_id,
                        principalTable: "agenda_events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agenda_sessions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    track = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    room = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    starts_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ends_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    speakers = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    cancelled = table.Column<bool>(type: "INTEGER", nullable: false),
                    revision = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_agenda_sessions_agenda_events_event_id",
                        column: x => x.event_id,
                        principalTable: "agenda_events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "game_players",
                columns: table => new
                {
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    points = table.Column<long>(type: "INTEGER", nullable: false),
                    leaderboard = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_game_players", x => x.app_user_id);
                    table.ForeignKey(
                        name: "fk_game_players_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "game_points",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    award_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    points = table.Column<int>(type: "INTEGER", nullable: false),
                    challenge_id = table.Column<long>(type: "INTEGER", nullable: true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_game_points", x => x.id);
                    table.ForeignKey(
                        name: "fk_game_points_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_game_points_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "installations",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    platform = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    token = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    apns_environment = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    web_push_p256dh = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    web_push_auth = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    notifications_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    app_version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    os_version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    device_model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_seen_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    token_registered_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    consent = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false, defaultValueSql: "'unknown'"),
                    consent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    consent_source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_installations", x => x.id);
                    table.ForeignKey(
                        name: "fk_installations_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_installations_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_attributes",
                columns: table => new
                {
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    text_value = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    number_value = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_attributes", x => new { x.app_user_id, x.name });
                    table.ForeignKey(
                        name: "fk_user_attributes_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_categories",
                columns: table => new
                {
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_categories", x => new { x.app_user_id, x.category });
                    table.ForeignKey(
                        name: "fk_user_categories_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tags",
                columns: table => new
                {
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    tag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_tags", x => new { x.app_user_id, x.tag });
                    table.ForeignKey(
                        name: "fk_user_tags_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "automation_inactivity",
                columns: table => new
                {
                    automation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automation_inactivity", x => new { x.automation_id, x.app_user_id });
                    table.ForeignKey(
                        name: "fk_automation_inactivity_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_automation_inactivity_automations_automation_id",
                        column: x => x.automation_id,
                        principalTable: "automations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "automation_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    automation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_external_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    status = table.Column<short>(type: "INTEGER", nullable: false),
                    position = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    resume_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    lease_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    trigger_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    context = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ended_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automation_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_automation_runs_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_automation_runs_automations_automation_id",
                        column: x => x.automation_id,
                        principalTable: "automations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "automation_segment_members",
                columns: table => new
                {
                    automation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automation_segment_members", x => new { x.automation_id, x.app_user_id });
                    table.ForeignKey(
                        name: "fk_automation_segment_members_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_automation_segment_members_automations_automation_id",
                        column: x => x.automation_id,
                        principalTable: "automations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "game_answers",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    challenge_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    option_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    correct = table.Column<bool>(type: "INTEGER", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_game_answers", x => x.id);
                    table.ForeignKey(
                        name: "fk_game_answers_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_game_answers_game_challenges_challenge_id",
                        column: x => x.challenge_id,
                        principalTable: "game_challenges",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "game_progress",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    challenge_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    count = table.Column<int>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    notified_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_game_progress", x => x.id);
                    table.ForeignKey(
                        name: "fk_game_progress_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_game_progress_game_challenges_challenge_id",
                        column: x => x.challenge_id,
                        principalTable: "game_challenges",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "game_scans",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    challenge_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    code = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_game_scans", x => x.id);
                    table.ForeignKey(
                        name: "fk_game_scans_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_game_scans_game_challenges_challenge_id",
                        column: x => x.challenge_id,
                        principalTable: "game_challenges",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    origin = table.Column<int>(type: "INTEGER", nullable: false),
                    origin_ref = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    plan_id = table.Column<long>(type: "INTEGER", nullable: true),
                    audience = table.Column<string>(type: "TEXT", nullable: false),
                    message = table.Column<string>(type: "TEXT", nullable: false),
                    options = table.Column<string>(type: "TEXT", nullable: false),
                    schedule = table.Column<string>(type: "TEXT", nullable: false),
                    throttle_per_minute = table.Column<int>(type: "INTEGER", nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    launch_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    launched_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    completed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    paused_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    audience_size = table.Column<long>(type: "INTEGER", nullable: false),
                    launch_cursor = table.Column<long>(type: "INTEGER", nullable: false),
                    launch_done = table.Column<bool>(type: "INTEGER", nullable: false),
                    conversion_event = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    conversion_window_ms = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => x.id);
                    table.ForeignKey(
                        name: "fk_campaigns_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaigns_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "agenda_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    session_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    revision = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    old_starts_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    old_ends_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    old_room = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    new_starts_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    new_ends_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    new_room = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_agenda_changes_agenda_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "agenda_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agenda_checkins",
                columns: table => new
                {
                    session_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_checkins", x => new { x.session_id, x.app_user_id });
                    table.ForeignKey(
                        name: "fk_agenda_checkins_agenda_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "agenda_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agenda_checkins_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agenda_favorites",
                columns: table => new
                {
                    session_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_favorites", x => new { x.session_id, x.app_user_id });
                    table.ForeignKey(
                        name: "fk_agenda_favorites_agenda_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "agenda_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agenda_favorites_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "activity_hours",
                columns: table => new
                {
                    installation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    hour_of_week = table.Column<short>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sessions = table.Column<int>(type: "INTEGER", nullable: false),
                    opens = table.Column<int>(type: "INTEGER", nullable: false),
                    last_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_activity_hours", x => new { x.installation_id, x.hour_of_week });
                    table.ForeignKey(
                        name: "fk_activity_hours_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "client_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    delivery_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    received_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    properties = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    action_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    geofence_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    dwell_seconds = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_client_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_client_events_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "geofence_triggers",
                columns: table => new
                {
                    geofence_id = table.Column<long>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_geofence_triggers", x => new { x.geofence_id, x.subject, x.type });
                    table.ForeignKey(
                        name: "fk_geofence_triggers_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_geofence_triggers_geofences_geofence_id",
                        column: x => x.geofence_id,
                        principalTable: "geofences",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_geofence_triggers_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "installation_categories",
                columns: table => new
                {
                    installation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_installation_categories", x => new { x.installation_id, x.category });
                    table.ForeignKey(
                        name: "fk_installation_categories_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "installation_tags",
                columns: table => new
                {
                    installation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    tag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_installation_tags", x => new { x.installation_id, x.tag });
                    table.ForeignKey(
                        name: "fk_installation_tags_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "location_consents",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: true),
                    granted = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_location_consents", x => x.id);
                    table.ForeignKey(
                        name: "fk_location_consents_app_users_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "app_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_location_consents_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_location_consents_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "test_devices",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    console_user = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    added_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_test_devices", x => x.id);
                    table.ForeignKey(
                        name: "fk_test_devices_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "token_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    old_token = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    new_token = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    old_user = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    new_user = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    provider_reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    raw_answer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    details = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_token_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_token_changes_installations_installation_id",
                        column: x => x.installation_id,
                        principalTable: "installations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "automation_step_log",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    automation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_automation_step_log", x => new { x.run_id, x.path });
                    table.ForeignKey(
                        name: "fk_automation_step_log_automation_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "automation_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agenda_pushes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    session_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    push_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    rule_id = table.Column<long>(type: "INTEGER", nullable: true),
                    change_id = table.Column<long>(type: "INTEGER", nullable: true),
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_pushes", x => x.id);
                    table.ForeignKey(
                        name: "fk_agenda_pushes_agenda_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "agenda_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agenda_pushes_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "consent_campaigns",
                columns: table => new
                {
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    transactional = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consent_campaigns", x => x.campaign_id);
                    table.ForeignKey(
                        name: "fk_consent_campaigns_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    installation_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    provider = table.Column<int>(type: "INTEGER", nullable: false),
                    environment = table.Column<short>(type: "INTEGER", nullable: false),
                    variant = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    due_at_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    lease_until_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    provider_message_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    provider_answer = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_at_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    sent_at_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    received_at_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    opened_at_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    dismissed_at_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    clicked_at_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    clicked_action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    influenced_at_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    converted_at_ms = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_deliveries_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delivery_rollups",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: false),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    provider = table.Column<int>(type: "INTEGER", nullable: false),
                    variant = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false),
                    received = table.Column<long>(type: "INTEGER", nullable: false),
                    opened = table.Column<long>(type: "INTEGER", nullable: false),
                    dismissed = table.Column<long>(type: "INTEGER", nullable: false),
                    clicked = table.Column<long>(type: "INTEGER", nullable: false),
                    clicked_action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    influenced_opens = table.Column<long>(type: "INTEGER", nullable: false),
                    conversions = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_rollups", x => x.id);
                    table.ForeignKey(
                        name: "fk_delivery_rollups_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "push_schedules",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    app_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    trigger_json = table.Column<string>(type: "TEXT", nullable: false),
                    push_json = table.Column<string>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<long>(type: "INTEGER", nullable: true),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_push_schedules", x => x.id);
                    table.ForeignKey(
                        name: "fk_push_schedules_apps_app_id",
                        column: x => x.app_id,
                        principalTable: "apps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_push_schedules_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agenda_changes_session_id_revision",
                table: "agenda_changes",
                columns: new[] { "session_id", "revision" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agenda_checkins_app_user_id_session_id",
                table: "agenda_checkins",
                columns: new[] { "app_user_id", "session_id" });

            migrationBuilder.CreateIndex(
                name: "ix_agenda_events_app_id",
                table: "agenda_events",
                column: "app_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agenda_favorites_app_user_id_session_id",
                table: "agenda_favorites",
                columns: new[] { "app_user_id", "session_id" });

            migrationBuilder.CreateIndex(
                name: "ix_agenda_pushes_app_id_push_key",
                table: "agenda_pushes",
                columns: new[] { "app_id", "push_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agenda_pushes_campaign_id",
                table: "agenda_pushes",
                column: "campaign_id");

            migrationBuilder.CreateIndex(
                name: "ix_agenda_pushes_session_id",
                table: "agenda_pushes",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "ix_agenda_reminder_rules_event_id",
                table: "agenda_reminder_rules",
                column: "event_id");

            migrationBuilder.CreateIndex(
                name: "ix_agenda_sessions_app_id_external_id",
                table: "agenda_sessions",
                columns: new[] { "app_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agenda_sessions_app_id_track",
                table: "agenda_sessions",
                columns: new[] { "app_id", "track" });

            migrationBuilder.CreateIndex(
                name: "ix_agenda_sessions_event_id_starts_at",
                table: "agenda_sessions",
                columns: new[] { "event_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_api_requests_app_id_endpoint_request_id",
                table: "api_requests",
                columns: new[] { "app_id", "endpoint", "request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_requests_created_at",
                table: "api_requests",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_app_users_app_id",
                table: "app_users",
                column: "app_id");

            migrationBuilder.CreateIndex(
                name: "ix_app_users_external_id_app_id",
                table: "app_users",
                columns: new[] { "external_id", "app_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_app_users_normalized_email_app_id",
                table: "app_users",
                columns: new[] { "normalized_email", "app_id" });

            migrationBuilder.CreateIndex(
                name: "ix_apps_app_key",
                table: "apps",
                column: "app_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_apps_normalized_name",
                table: "apps",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_role_claims_role_id",
                table: "asp_net_role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "role_name_index",
                table: "asp_net_roles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_claims_user_id",
                table: "asp_net_user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_logins_user_id",
                table: "asp_net_user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_roles_role_id",
                table: "asp_net_user_roles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "email_index",
                table: "asp_net_users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "user_name_index",
                table: "asp_net_users",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_action_at",
                table: "audit_entries",
                columns: new[] { "action", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_at",
                table: "audit_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_automation_inactivity_app_user_id",
                table: "automation_inactivity",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_automation_inactivity_due_at",
                table: "automation_inactivity",
                column: "due_at");

            migrationBuilder.CreateIndex(
                name: "ix_automation_runs_app_user_id_status",
                table: "automation_runs",
                columns: new[] { "app_user_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_automation_runs_automation_id_app_user_id_trigger_key",
                table: "automation_runs",
                columns: new[] { "automation_id", "app_user_id", "trigger_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_automation_runs_resume_at",
                table: "automation_runs",
                column: "resume_at",
                filter: "status IN (0, 1, 2)");

            migrationBuilder.CreateIndex(
                name: "ix_automation_segment_members_app_user_id",
                table: "automation_segment_members",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_automation_step_log_automation_id_path",
                table: "automation_step_log",
                columns: new[] { "automation_id", "path" });

            migrationBuilder.CreateIndex(
                name: "ix_automations_app_id_name",
                table: "automations",
                columns: new[] { "app_id", "name" });

            migrationBuilder.CreateIndex(
                name: "ix_automations_trigger_kind_next_check_at",
                table: "automations",
                columns: new[] { "trigger_kind", "next_check_at" });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_app_id_conversion_event",
                table: "campaigns",
                columns: new[] { "app_id", "conversion_event" });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_app_id_created_at",
                table: "campaigns",
                columns: new[] { "app_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_origin_origin_ref",
                table: "campaigns",
                columns: new[] { "origin", "origin_ref" });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_plan_id",
                table: "campaigns",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_status_launch_at",
                table: "campaigns",
                columns: new[] { "status", "launch_at" });

            migrationBuilder.CreateIndex(
                name: "ix_client_events_app_id_at",
                table: "client_events",
                columns: new[] { "app_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_client_events_app_id_type_installation_id_at",
                table: "client_events",
                columns: new[] { "app_id", "type", "installation_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_client_events_delivery_id",
                table: "client_events",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_client_events_installation_id",
                table: "client_events",
                column: "installation_id");

            migrationBuilder.CreateIndex(
                name: "ix_compose_templates_app_id_name",
                table: "compose_templates",
                columns: new[] { "app_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_consent_categories_app_id_key",
                table: "consent_categories",
                columns: new[] { "app_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_campaign_id_installation_id",
                table: "deliveries",
                columns: new[] { "campaign_id", "installation_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_campaign_id_status",
                table: "deliveries",
                columns: new[] { "campaign_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_installation_id_id",
                table: "deliveries",
                columns: new[] { "installation_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_status_due_at_ms",
                table: "deliveries",
                columns: new[] { "status", "due_at_ms" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_user_id_sent_at_ms",
                table: "deliveries",
                columns: new[] { "user_id", "sent_at_ms" });

            migrationBuilder.CreateIndex(
                name: "ix_delivery_rollups_campaign_id_provider_variant_status_reason_clicked_action",
                table: "delivery_rollups",
                columns: new[] { "campaign_id", "provider", "variant", "status", "reason", "clicked_action" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_game_answers_app_user_id",
                table: "game_answers",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_game_answers_challenge_id_app_user_id",
                table: "game_answers",
                columns: new[] { "challenge_id", "app_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_game_challenges_app_id_external_id",
                table: "game_challenges",
                columns: new[] { "app_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_game_challenges_campaign_id",
                table: "game_challenges",
                column: "campaign_id");

            migrationBuilder.CreateIndex(
                name: "ix_game_players_app_id_app_user_id",
                table: "game_players",
                columns: new[] { "app_id", "app_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_game_players_app_id_points",
                table: "game_players",
                columns: new[] { "app_id", "points" });

            migrationBuilder.CreateIndex(
                name: "ix_game_points_app_id_app_user_id_award_key",
                table: "game_points",
                columns: new[] { "app_id", "app_user_id", "award_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_game_points_app_id_at",
                table: "game_points",
                columns: new[] { "app_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_game_points_app_user_id",
                table: "game_points",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_game_progress_app_user_id",
                table: "game_progress",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_game_progress_challenge_id_app_user_id",
                table: "game_progress",
                columns: new[] { "challenge_id", "app_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_game_progress_notified_at_completed_at",
                table: "game_progress",
                columns: new[] { "notified_at", "completed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_game_scans_app_user_id_at",
                table: "game_scans",
                columns: new[] { "app_user_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_game_scans_challenge_id_app_user_id_code",
                table: "game_scans",
                columns: new[] { "challenge_id", "app_user_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_geofence_triggers_app_user_id",
                table: "geofence_triggers",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_geofence_triggers_installation_id",
                table: "geofence_triggers",
                column: "installation_id");

            migrationBuilder.CreateIndex(
                name: "ix_geofences_app_id_external_id",
                table: "geofences",
                columns: new[] { "app_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_installation_tags_app_id_tag_installation_id",
                table: "installation_tags",
                columns: new[] { "app_id", "tag", "installation_id" });

            migrationBuilder.CreateIndex(
                name: "ix_installations_app_id_app_version",
                table: "installations",
                columns: new[] { "app_id", "app_version" });

            migrationBuilder.CreateIndex(
                name: "ix_installations_app_id_state",
                table: "installations",
                columns: new[] { "app_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_installations_app_user_id",
                table: "installations",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_installations_external_id_app_id",
                table: "installations",
                columns: new[] { "external_id", "app_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_installations_segments",
                table: "installations",
                columns: new[] { "app_id", "app_user_id", "platform", "state", "language", "time_zone", "app_version", "created_at", "last_seen_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_installations_token_app_id",
                table: "installations",
                columns: new[] { "token", "app_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ios_categories_app_id_identifier",
                table: "ios_categories",
                columns: new[] { "app_id", "identifier" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_location_consents_app_id",
                table: "location_consents",
                column: "app_id");

            migrationBuilder.CreateIndex(
                name: "ix_location_consents_app_user_id",
                table: "location_consents",
                column: "app_user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_location_consents_installation_id",
                table: "location_consents",
                column: "installation_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plans_app_id_plan_key",
                table: "plans",
                columns: new[] { "app_id", "plan_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_push_schedules_app_id_id",
                table: "push_schedules",
                columns: new[] { "app_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_push_schedules_app_id_request_id",
                table: "push_schedules",
                columns: new[] { "app_id", "request_id" });

            migrationBuilder.CreateIndex(
                name: "ix_push_schedules_campaign_id",
                table: "push_schedules",
                column: "campaign_id");

            migrationBuilder.CreateIndex(
                name: "ix_segments_app_id_normalized_name",
                table: "segments",
                columns: new[] { "app_id", "normalized_name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_test_devices_console_user_installation_id",
                table: "test_devices",
                columns: new[] { "console_user", "installation_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_test_devices_installation_id",
                table: "test_devices",
                column: "installation_id");

            migrationBuilder.CreateIndex(
                name: "ix_token_changes_installation_id_id",
                table: "token_changes",
                columns: new[] { "installation_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_token_changes_new_user_app_id",
                table: "token_changes",
                columns: new[] { "new_user", "app_id" });

            migrationBuilder.CreateIndex(
                name: "ix_unsubscribes_app_id_at",
                table: "unsubscribes",
                columns: new[] { "app_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_unsubscribes_app_user_id",
                table: "unsubscribes",
                column: "app_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_unsubscribes_campaign_id_app_user_id",
                table: "unsubscribes",
                columns: new[] { "campaign_id", "app_user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_unsubscribes_campaign_id_installation_id",
                table: "unsubscribes",
                columns: new[] { "campaign_id", "installation_id" });

            migrationBuilder.CreateIndex(
                name: "ix_unsubscribes_installation_id",
                table: "unsubscribes",
                column: "installation_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_attributes_app_id_name_number_value_app_user_id",
                table: "user_attributes",
                columns: new[] { "app_id", "name", "number_value", "app_user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_user_attributes_app_id_name_text_value_app_user_id",
                table: "user_attributes",
                columns: new[] { "app_id", "name", "text_value", "app_user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_user_categories_category_enabled_app_user_id",
                table: "user_categories",
                columns: new[] { "category", "enabled", "app_user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_user_tags_app_id_tag_app_user_id",
                table: "user_tags",
                columns: new[] { "app_id", "tag", "app_user_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activity_hours");

            migrationBuilder.DropTable(
                name: "agenda_changes");

            migrationBuilder.DropTable(
                name: "agenda_checkins");

            migrationBuilder.DropTable(
                name: "agenda_favorites");

            migrationBuilder.DropTable(
                name: "agenda_pushes");

            migrationBuilder.DropTable(
                name: "agenda_reminder_rules");

            migrationBuilder.DropTable(
                name: "api_requests");

            migrationBuilder.DropTable(
                name: "asp_net_role_claims");

            migrationBuilder.DropTable(
                name: "asp_net_user_claims");

            migrationBuilder.DropTable(
                name: "asp_net_user_logins");

            migrationBuilder.DropTable(
                name: "asp_net_user_roles");

            migrationBuilder.DropTable(
                name: "asp_net_user_tokens");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "automation_inactivity");

            migrationBuilder.DropTable(
                name: "automation_segment_members");

            migrationBuilder.DropTable(
                name: "automation_step_log");

            migrationBuilder.DropTable(
                name: "client_events");

            migrationBuilder.DropTable(
                name: "compose_templates");

            migrationBuilder.DropTable(
                name: "consent_campaigns");

            migrationBuilder.DropTable(
                name: "consent_categories");

            migrationBuilder.DropTable(
                name: "consent_settings");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "deliveries");

            migrationBuilder.DropTable(
                name: "delivery_rollups");

            migrationBuilder.DropTable(
                name: "game_answers");

            migrationBuilder.DropTable(
                name: "game_players");

            migrationBuilder.DropTable(
                name: "game_points");

            migrationBuilder.DropTable(
                name: "game_progress");

            migrationBuilder.DropTable(
                name: "game_scans");

            migrationBuilder.DropTable(
                name: "game_secrets");

            migrationBuilder.DropTable(
                name: "geofence_triggers");

            migrationBuilder.DropTable(
                name: "geofence_versions");

            migrationBuilder.DropTable(
                name: "installation_categories");

            migrationBuilder.DropTable(
                name: "installation_tags");

            migrationBuilder.DropTable(
                name: "ios_categories");

            migrationBuilder.DropTable(
                name: "location_consents");

            migrationBuilder.DropTable(
                name: "push_schedules");

            migrationBuilder.DropTable(
                name: "segment_changes");

            migrationBuilder.DropTable(
                name: "segments");

            migrationBuilder.DropTable(
                name: "test_devices");

            migrationBuilder.DropTable(
                name: "token_changes");

            migrationBuilder.DropTable(
                name: "unsubscribes");

            migrationBuilder.DropTable(
                name: "user_attributes");

            migrationBuilder.DropTable(
                name: "user_categories");

            migrationBuilder.DropTable(
                name: "user_tags");

            migrationBuilder.DropTable(
                name: "agenda_sessions");

            migrationBuilder.DropTable(
                name: "asp_net_roles");

            migrationBuilder.DropTable(
                name: "asp_net_users");

            migrationBuilder.DropTable(
                name: "automation_runs");

            migrationBuilder.DropTable(
                name: "game_challenges");

            migrationBuilder.DropTable(
                name: "geofences");

            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropTable(
                name: "installations");

            migrationBuilder.DropTable(
                name: "agenda_events");

            migrationBuilder.DropTable(
                name: "automations");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropTable(
                name: "app_users");

            migrationBuilder.DropTable(
                name: "apps");
        }
    }
}
