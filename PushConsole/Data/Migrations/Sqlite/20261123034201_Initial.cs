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
                    consent = table.Column<bool>(type: "INTEGER", nullable: true),
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
                    token_registered_at = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    launch_done = table.Column<bool>(type: "INTEGER", nullable: false)
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
                    properties = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true)
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
                    dismissed_at_ms = table.Column<long>(type: "INTEGER", nullable: true)
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
                name: "ix_client_events_delivery_id",
                table: "client_events",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_client_events_installation_id",
                table: "client_events",
                column: "installation_id");

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
                name: "ix_installation_tags_app_id_tag",
                table: "installation_tags",
                columns: new[] { "app_id", "tag" });

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
                name: "ix_installations_token_app_id",
                table: "installations",
                columns: new[] { "token", "app_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plans_app_id_plan_key",
                table: "plans",
                columns: new[] { "app_id", "plan_key" },
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
                name: "ix_user_attributes_app_id_name_number_value",
                table: "user_attributes",
                columns: new[] { "app_id", "name", "number_value" });

            migrationBuilder.CreateIndex(
                name: "ix_user_attributes_app_id_name_text_value",
                table: "user_attributes",
                columns: new[] { "app_id", "name", "text_value" });

            migrationBuilder.CreateIndex(
                name: "ix_user_tags_app_id_tag",
                table: "user_tags",
                columns: new[] { "app_id", "tag" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
                name: "client_events");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "deliveries");

            migrationBuilder.DropTable(
                name: "installation_tags");

            migrationBuilder.DropTable(
                name: "test_devices");

            migrationBuilder.DropTable(
                name: "token_changes");

            migrationBuilder.DropTable(
                name: "user_attributes");

            migrationBuilder.DropTable(
                name: "user_categories");

            migrationBuilder.DropTable(
                name: "user_tags");

            migrationBuilder.DropTable(
                name: "asp_net_roles");

            migrationBuilder.DropTable(
                name: "asp_net_users");

            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropTable(
                name: "installations");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropTable(
                name: "app_users");

            migrationBuilder.DropTable(
                name: "apps");
        }
    }
}
