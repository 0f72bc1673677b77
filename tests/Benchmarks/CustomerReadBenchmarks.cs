using System.Diagnostics;
using System.Globalization;
using CustomerAccess.Platform.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CustomerAccess.Benchmarks;

/// <summary>
/// Customer search and timeline reads at scale (issue 5): a council with CUSTOMERS customers with
/// realistic names, EVENTS events in the log about them and as many timeline rows, loaded in bulk
/// with SQL (appending 2M events through the store would take the benchmark's whole budget). Then,
/// as the row-level-security app role with the council set, exactly the SQL the routes run:
///   search   GET /customers?q=  -> customer.search_customers (misspelt names, emails, phones, postcodes)
///   timeline GET /customers/{id}/timeline (newest 50 from the read model)
///   as-at    the events of one customer up to an instant (GET .../timeline?asAt=)
/// reporting p50/p99 over SAMPLES requests each. HTTP and JSON time is not included.
/// </summary>
public static class CustomerReadBenchmarks
{
    private const string Database = "ca_bench_customers";
    private const string Tenant = "bench-council";

    private static readonly string[] FirstNames =
    [
        "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar", "William", "James", "Henry",
        "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander", "Joseph", "Edward", "Samuel", "Max", "Daniel",
        "Arthur", "Lucas", "Mohammed", "Logan", "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia", "Poppy", "Ella", "Lily",
        "Evie", "Grace", "Sophia", "Ruby", "Sophie", "Freya", "Jessica", "Chloe", "Daisy", "Phoebe", "Florence", "Alice", "Evelyn",
        "Matilda", "Sienna", "Elsie", "Harriet", "Margaret", "Susan", "Patricia", "Barbara", "Christine", "Janet", "Gwen", "Rhys",
        "Dylan", "Ffion", "Siobhan", "Aisha", "Priya", "Ravi", "Anil", "Mei", "Wei", "Kofi", "Ama", "Tomasz", "Agnieszka", "Piotr",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson",
        "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson",
        "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan",
        "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
        "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
        "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray",
        "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
        "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Featherstonehaugh", "Nowak",
        "Kowalski", "Okafor", "Mensah", "Chen", "Wang", "Nguyen", "Rahman", "Ahmed", "Iqbal", "Sharma", "Gupta", "O'Brien", "McDonald",
    ];

    public static async Task RunAsync(string cluster, int customers, int events, int samples)
    {
        var admin = new NpgsqlConnectionStringBuilder(cluster) { Database = Database }.ConnectionString;
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster) { Database = "postgres" }.ConnectionString))
        {
            await connection.OpenAsync();
            await Exec(connection, $"drop database if exists {Database} with (force)");
            await Exec(connection, $"create database {Database}");
        }
        await new Migrator(admin, [typeof(PlatformDatabase).Assembly, typeof(CustomerAccess.Customer.CustomerModule).Assembly], NullLogger.Instance).MigrateAsync();

        var clock = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            Console.WriteLine($"loading {customers:N0} customers ...");
            await using (var cmd = new NpgsqlCommand("""
                insert into customer.customers (tenant_id, id, first_name, last_name, email, email_lower, phone, phone_digits, postcode_key,
                  search_name, created_at, version)
                select $1, 'c' || g, f, l, lower(f || '.' || l || g || '@example.com'), lower(f || '.' || l || g || '@example.com'),
                  '07700 ' || lpad(g::text, 6, '0'), '07700' || lpad(g::text, 6, '0'),
                  'GL' || (50 + g % 4) || (g % 9) || chr(65 + g % 26) || chr(65 + (g / 26) % 26),
                  lower(f || ' ' || l), now(), 1
                from generate_series(1, $2) g,
                  lateral (select ($3::text[])[1 + (hashint4(g) & 2147483647) % array_length($3, 1)] as f,
                                  ($4::text[])[1 + (hashint4(g * 7919) & 2147483647) % array_length($4, 1)] as l) n
                """, connection) { CommandTimeout = 0 })
            {
                cmd.Parameters.AddWithValue(Tenant);
                cmd.Parameters.AddWithValue(customers);
                cmd.Parameters.AddWithValue(FirstNames);
                cmd.Parameters.AddWithValue(LastNames);
                await cmd.ExecuteNonQueryAsync();
            }
            Console.WriteLine($"loading {events:N0} events and timeline rows ({clock.Elapsed.TotalSeconds:0}s so far) ...");
            // Plain rows, not hash-chained: this measures reads, and the chain is not read here.
            await Exec(connection, $"""
                insert into es.events (tenant_id, transaction_id, stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at, hash)
                select '{Tenant}', pg_current_xact_id(), 'customer-c' || (1 + g % {customers}), 1 + g / {customers}, gen_random_uuid(),
                  'customer.contact-logged', 1,
                  jsonb_build_object('contactId', g::text, 'channel', 'phone', 'reason', 'Missed bin', 'resolvedAtFirstContact', false),
                  jsonb_build_object('tenant', '{Tenant}', 'actor', 'advisor', 'channel', 'phone', 'customerId', 'c' || (1 + g % {customers})),
                  now() - make_interval(secs => {events} - g), '\x00'::bytea
                from generate_series(0, {events} - 1) g
                """);
            await Exec(connection, $"""
                insert into customer.timeline (tenant_id, customer_id, position, occurred_at, module, type, summary, channel, actor)
                select tenant_id, metadata->>'customerId', position, occurred_at, 'customer', event_type, 'Phone contact: Missed bin', 'phone', 'advisor'
                from es.events where tenant_id = '{Tenant}'
                """);
            await Exec(connection, "analyze");
            Console.WriteLine($"loaded in {clock.Elapsed.TotalSeconds:0}s");
        }

        var emails = new List<string>();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"select email from customer.customers where tenant_id = '{Tenant}' order by random() limit {samples + 20}", connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) emails.Add(reader.GetString(0));
        }
        var app = new PlatformDatabase(admin);
        var random = new Random(42);
        string Misspelt()
        {
            var name = FirstNames[random.Next(FirstNames.Length)] + " " + LastNames[random.Next(LastNames.Length)];
            var i = random.Next(1, name.Length - 1);
            return name[..i] + name[(i + 1)..]; // one letter dropped
        }
        await Measure("search, misspelt name", samples, async () =>
        {
            await using var tx = await app.BeginAsync(Tenant);
            await Search(tx, Misspelt(), null, "X");
        });
        await Measure("search, email", samples, async () =>
        {
            await using var tx = await app.BeginAsync(Tenant);
            await Search(tx, emails[random.Next(emails.Count)].ToUpperInvariant(), null, "X");
        });
        await Measure("search, phone", samples, async () =>
        {
            await using var tx = await app.BeginAsync(Tenant);
            await Search(tx, "07700 " + random.Next(1, customers).ToString("000000", CultureInfo.InvariantCulture), "07700" + random.Next(1, customers).ToString("000000", CultureInfo.InvariantCulture), "X");
        });
        await Measure("timeline, newest 50", samples, async () =>
        {
            await using var tx = await app.BeginAsync(Tenant);
            await using var cmd = tx.Command("""
                select position, occurred_at, module, type, summary, channel, actor, reference from customer.timeline
                where tenant_id = $1
                  and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
                order by position desc limit 51
                """);
            cmd.Parameters.AddWithValue(Tenant);
            cmd.Parameters.AddWithValue("c" + random.Next(1, customers));
            await Drain(cmd);
        });
        await Measure("as-at events of one customer", samples, async () =>
        {
            await using var tx = await app.BeginAsync(Tenant);
            // As EventSession.ReadCustomerEventsAsync reads them.
            await using var cmd = tx.Command("select position, data::text, metadata::text from es.customer_events($1, now(), null) e order by position");
            cmd.Parameters.AddWithValue("c" + random.Next(1, customers));
            await Drain(cmd);
        });
        await app.DisposeAsync();
    }

    private static async Task Search(TenantTransaction tx, string text, string? phone, string postcode)
    {
        await using var cmd = tx.Command("select id from customer.search_customers($1, $2, $3, $4, 20, 0)");
        cmd.Parameters.AddWithValue(text);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)phone ?? DBNull.Value);
        cmd.Parameters.AddWithValue(postcode);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, DBNull.Value);
        await Drain(cmd);
    }

    private static async Task Drain(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) { }
    }

    private static async Task Measure(string name, int samples, Func<Task> request)
    {
        for (var i = 0; i < 20; i++) await request(); // warm the pool, plans and cache
        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await request();
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        Array.Sort(times);
        var p50 = times[samples / 2];
        var p99 = times[Math.Min(samples - 1, (int)(samples * 0.99))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-32} p50 {p50,7:0.00} ms   p99 {p99,7:0.00} ms   ({samples} requests)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT customers_{name.Replace(' ', '_').Replace(",", "", StringComparison.Ordinal)}_p50 {p50:0.00} ms"));
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }
}
