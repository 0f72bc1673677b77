using CustomerAccess.Platform.Database;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Customer.Gazetteer;

/// <summary>What an import did: records that added to, changed or removed from the gazetteer, and the rows refused.</summary>
internal sealed record ImportReport(int Imported, int Updated, int Deleted, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Loads a DTF 7.3 extract (full or change-only) into a council's gazetteer in one transaction:
/// parse and validate every row, binary-COPY the good ones into temporary staging tables, then
/// set-based upserts that only touch rows whose stored values differ (so re-importing the same
/// file changes nothing) and set-based deletes. Bad rows are reported by line and skipped.
/// </summary>
internal sealed class GazetteerImporter(PlatformDatabase database)
{
    public async Task<ImportReport> ImportAsync(string tenant, TextReader csv, Action<string>? stage = null, CancellationToken ct = default)
    {
        stage?.Invoke("Reading");
        var file = ReadFile(csv);
        stage?.Invoke("Checking");
        await using var tx = await database.BeginAsync(tenant, ct).ConfigureAwait(false);
        var report = await ApplyAsync(tx, file, stage, ct).ConfigureAwait(false);
        stage?.Invoke("Committing");
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return report;
    }

    /// <summary>The file's records, last occurrence of each key winning (file order), and its bad rows.</summary>
    private sealed class FileContents
    {
        public Dictionary<long, StreetRecord> Streets { get; } = [];
        public Dictionary<(long Usrn, string Language), StreetDescriptorRecord> Descriptors { get; } = [];
        public Dictionary<long, BlpuRecord> Blpus { get; } = [];
        public Dictionary<string, LpiRecord> Lpis { get; } = new(StringComparer.Ordinal);
        public List<ImportRejection> Rejected { get; } = [];
    }

    private static FileContents ReadFile(TextReader csv)
    {
        var file = new FileContents();
        foreach (var (record, rejection) in Dtf73Parser.Parse(csv))
        {
            switch (record)
            {
                case StreetRecord s: file.Streets[s.Usrn] = s; break;
                case StreetDescriptorRecord d: file.Descriptors[(d.Usrn, d.Language)] = d; break;
                case BlpuRecord b: file.Blpus[b.Uprn] = b; break;
                case LpiRecord l: file.Lpis[l.LpiKey] = l; break;
            }
            if (rejection is not null) file.Rejected.Add(rejection);
        }
        return file;
    }

    private static async Task<ImportReport> ApplyAsync(TenantTransaction tx, FileContents file, Action<string>? stage, CancellationToken ct)
    {
        var lpis = file.Lpis.Values.Where(l => l.Change != ChangeType.Delete).ToList();

        // An LPI needs its property (BLPU) and its street, in this file or already in the gazetteer.
        var uprnsToFind = lpis.Select(l => l.Uprn).Where(u => !file.Blpus.ContainsKey(u)).Distinct().ToArray();
        var knownUprns = await ExistingAsync(tx, "select uprn from customer.properties where uprn = any($1)", uprnsToFind, ct).ConfigureAwait(false);
        var usrnsInFile = file.Streets.Keys.Concat(file.Descriptors.Keys.Select(k => k.Usrn)).ToHashSet();
        var usrnsToFind = lpis.Select(l => l.Usrn).Where(u => !usrnsInFile.Contains(u)).Distinct().ToArray();
        var knownUsrns = await ExistingAsync(tx, """
            select usrn from customer.streets where usrn = any($1)
            union select usrn from customer.street_descriptors where usrn = any($1)
            """, usrnsToFind, ct).ConfigureAwait(false);

        bool HasStreet(long usrn) =>
            file.Streets.TryGetValue(usrn, out var s) ? s.Change != ChangeType.Delete
            : file.Descriptors.Where(d => d.Key.Usrn == usrn).ToList() is { Count: > 0 } ds ? ds.Any(d => d.Value.Change != ChangeType.Delete)
            : knownUsrns.Contains(usrn);
        var streetCache = new Dictionary<long, bool>();
        var good = new List<LpiRecord>(lpis.Count);
        foreach (var lpi in lpis)
        {
            if (file.Blpus.TryGetValue(lpi.Uprn, out var blpu) ? blpu.Change == ChangeType.Delete : !knownUprns.Contains(lpi.Uprn))
            {
                file.Rejected.Add(new ImportRejection(lpi.Line, $"LPI {lpi.LpiKey}: UPRN {lpi.Uprn} has no BLPU in this file or the gazetteer"));
                continue;
            }
            if (!streetCache.TryGetValue(lpi.Usrn, out var hasStreet)) streetCache[lpi.Usrn] = hasStreet = HasStreet(lpi.Usrn);
            if (!hasStreet)
            {
                file.Rejected.Add(new ImportRejection(lpi.Line, $"LPI {lpi.LpiKey}: USRN {lpi.Usrn} has no street in this file or the gazetteer"));
                continue;
            }
            good.Add(lpi);
        }

        // Street names for rendering: the file's descriptors, else the gazetteer's.
        var names = file.Descriptors.Values.Where(d => d.Change != ChangeType.Delete)
            .ToDictionary(d => (d.Usrn, d.Language), d => new StreetName(d.Description, d.Locality, d.Town));
        var named = names.Keys.Select(k => k.Usrn).ToHashSet();
        var namesToFind = good.Select(l => l.Usrn).Where(u => !named.Contains(u)).Distinct().ToArray();
        if (namesToFind.Length > 0)
        {
            await using var cmd = tx.Command("select usrn, language, description, locality, town from customer.street_descriptors where usrn = any($1)");
            cmd.Parameters.AddWithValue(namesToFind);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                names[(reader.GetInt64(0), reader.GetString(1))] = new StreetName(reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        stage?.Invoke("Loading");
        await CreateStagingAsync(tx, ct).ConfigureAwait(false);
        await CopyStreetsAsync(tx, file.Streets.Values.Where(s => s.Change != ChangeType.Delete), ct).ConfigureAwait(false);
        await CopyDescriptorsAsync(tx, file.Descriptors.Values.Where(d => d.Change != ChangeType.Delete), ct).ConfigureAwait(false);
        await CopyBlpusAsync(tx, file.Blpus.Values.Where(b => b.Change != ChangeType.Delete), ct).ConfigureAwait(false);
        await CopyLpisAsync(tx, good.Select(l => (l, StreetFor(names, l))), ct).ConfigureAwait(false);

        stage?.Invoke("Saving");
        var counts = new Counts();
        counts.Add(await UpsertAsync(tx, "streets", ["usrn"], StreetColumns, ct).ConfigureAwait(false));
        counts.Add(await UpsertAsync(tx, "street_descriptors", ["usrn", "language"], DescriptorColumns, ct).ConfigureAwait(false));
        counts.Add(await UpsertAsync(tx, "properties", ["uprn"], BlpuColumns, ct).ConfigureAwait(false));
        counts.Add(await UpsertAsync(tx, "addresses", ["lpi_key"], LpiColumns, ct).ConfigureAwait(false));

        counts.Deleted += await DeleteAsync(tx, "delete from customer.addresses where lpi_key = any($1)",
            file.Lpis.Values.Where(l => l.Change == ChangeType.Delete).Select(l => l.LpiKey).ToArray(), ct).ConfigureAwait(false);
        counts.Deleted += await DeleteAsync(tx, "delete from customer.properties where uprn = any($1)",
            file.Blpus.Values.Where(b => b.Change == ChangeType.Delete).Select(b => b.Uprn).ToArray(), ct).ConfigureAwait(false);
        counts.Deleted += await DeleteDescriptorsAsync(tx,
            file.Descriptors.Values.Where(d => d.Change == ChangeType.Delete).ToList(), ct).ConfigureAwait(false);
        counts.Deleted += await DeleteAsync(tx, "delete from customer.streets where usrn = any($1)",
            file.Streets.Values.Where(s => s.Change == ChangeType.Delete).Select(s => s.Usrn).ToArray(), ct).ConfigureAwait(false);

        // A renamed street re-renders the addresses on it that this file did not carry itself.
        await RerenderAsync(tx, file.Descriptors.Values.Where(d => d.Change != ChangeType.Delete).Select(d => d.Usrn).Distinct().ToArray(),
            names, ct).ConfigureAwait(false);

        var rejected = file.Rejected.OrderBy(r => r.Line).ToList();
        return new ImportReport(counts.Imported, counts.Updated, counts.Deleted, rejected);
    }

    private sealed class Counts
    {
        public int Imported { get; set; }
        public int Updated { get; set; }
        public int Deleted { get; set; }

        public void Add((int Inserted, int Updated) c)
        {
            Imported += c.Inserted;
            Updated += c.Updated;
        }
    }

    /// <summary>The descriptor in the LPI's own language, else English, Welsh or Gaelic.</summary>
    internal static StreetName? StreetFor(IReadOnlyDictionary<(long Usrn, string Language), StreetName> names, LpiRecord lpi) =>
        names.GetValueOrDefault((lpi.Usrn, lpi.Language ?? "ENG"))
        ?? names.GetValueOrDefault((lpi.Usrn, "ENG"))
        ?? names.GetValueOrDefault((lpi.Usrn, "CYM"))
        ?? names.GetValueOrDefault((lpi.Usrn, "GAE"));

    private static async Task<HashSet<long>> ExistingAsync(TenantTransaction tx, string sql, long[] keys, CancellationToken ct)
    {
        var found = new HashSet<long>();
        if (keys.Length == 0) return found;
        await using var cmd = tx.Command(sql);
        cmd.Parameters.AddWithValue(keys);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) found.Add(reader.GetInt64(0));
        return found;
    }

    private static async Task<int> DeleteAsync<T>(TenantTransaction tx, string sql, T[] keys, CancellationToken ct)
    {
        if (keys.Length == 0) return 0;
        await using var cmd = tx.Command(sql);
        cmd.Parameters.AddWithValue(keys);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<int> DeleteDescriptorsAsync(TenantTransaction tx, List<StreetDescriptorRecord> deletes, CancellationToken ct)
    {
        if (deletes.Count == 0) return 0;
        await using var cmd = tx.Command("""
            delete from customer.street_descriptors d using unnest($1::bigint[], $2::text[]) k(usrn, language)
            where d.usrn = k.usrn and d.language = k.language
            """);
        cmd.Parameters.AddWithValue(deletes.Select(d => d.Usrn).ToArray());
        cmd.Parameters.AddWithValue(deletes.Select(d => d.Language).ToArray());
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    // ---- staging and set-based upserts -------------------------------------------------------

    private static readonly string[] StreetColumns =
        ["record_type", "naming_authority", "state", "state_date", "classification", "start_date", "end_date", "last_update_date"];

    private static readonly string[] DescriptorColumns = ["description", "locality", "town", "administrative_area"];

    private static readonly string[] BlpuColumns =
    [
        "logical_status", "blpu_state", "state_date", "blpu_class", "parent_uprn", "easting", "northing", "rpc",
        "local_custodian_code", "start_date", "end_date", "last_update_date", "organisation", "ward_code", "parish_code",
    ];

    private static readonly string[] LpiColumns =
    [
        "uprn", "usrn", "language", "logical_status", "start_date", "end_date", "last_update_date",
        "sao_start_number", "sao_start_suffix", "sao_end_number", "sao_end_suffix", "sao_text",
        "pao_start_number", "pao_start_suffix", "pao_end_number", "pao_end_suffix", "pao_text",
        "level", "postal_address", "postcode", "post_town", "official_flag", "lines", "search",
    ];

    private static async Task CreateStagingAsync(TenantTransaction tx, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            create temp table stg_streets on commit drop as select usrn, record_type, naming_authority, state, state_date, classification, start_date, end_date, last_update_date from customer.streets with no data;
            create temp table stg_street_descriptors on commit drop as select usrn, language, description, locality, town, administrative_area from customer.street_descriptors with no data;
            create temp table stg_properties on commit drop as select uprn, logical_status, blpu_state, state_date, blpu_class, parent_uprn, easting, northing, rpc, local_custodian_code, start_date, end_date, last_update_date, organisation, ward_code, parish_code from customer.properties with no data;
            create temp table stg_addresses on commit drop as select lpi_key, uprn, usrn, language, logical_status, start_date, end_date, last_update_date, sao_start_number, sao_start_suffix, sao_end_number, sao_end_suffix, sao_text, pao_start_number, pao_start_suffix, pao_end_number, pao_end_suffix, pao_text, level, postal_address, postcode, post_town, official_flag, lines, search from customer.addresses with no data;
            """);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Inserts new rows and updates only rows whose values differ; returns (inserted, updated).</summary>
    private static async Task<(int Inserted, int Updated)> UpsertAsync(TenantTransaction tx, string table, string[] keys, string[] columns, CancellationToken ct)
    {
        var all = string.Join(", ", keys.Concat(columns));
        var key = string.Join(", ", keys);
        var set = string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"));
        var current = string.Join(", ", columns.Select(c => "t." + c));
        var incoming = string.Join(", ", columns.Select(c => "excluded." + c));
        await using var cmd = tx.Command($"""
            with changed as (
              insert into customer.{table} as t (tenant_id, {all})
              select es.current_tenant(), {all} from stg_{table}
              on conflict (tenant_id, {key}) do update set {set}
              where ({current}) is distinct from ({incoming})
              returning (xmax = 0) as inserted)
            select count(*) filter (where inserted)::int, count(*) filter (where not inserted)::int from changed
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private static async Task CopyStreetsAsync(TenantTransaction tx, IEnumerable<StreetRecord> streets, CancellationToken ct)
    {
        await using var w = await tx.Connection.BeginBinaryImportAsync(
            $"copy stg_streets (usrn, {string.Join(", ", StreetColumns)}) from stdin (format binary)", ct).ConfigureAwait(false);
        foreach (var s in streets)
        {
            await w.StartRowAsync(ct).ConfigureAwait(false);
            await w.WriteAsync(s.Usrn, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await W(w, s.RecordType, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await W(w, s.NamingAuthority, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, s.State, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await W(w, s.StateDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, s.Classification, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await W(w, s.StartDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, s.EndDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, s.LastUpdateDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
        }
        await w.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task CopyDescriptorsAsync(TenantTransaction tx, IEnumerable<StreetDescriptorRecord> descriptors, CancellationToken ct)
    {
        await using var w = await tx.Connection.BeginBinaryImportAsync(
            $"copy stg_street_descriptors (usrn, language, {string.Join(", ", DescriptorColumns)}) from stdin (format binary)", ct).ConfigureAwait(false);
        foreach (var d in descriptors)
        {
            await w.StartRowAsync(ct).ConfigureAwait(false);
            await w.WriteAsync(d.Usrn, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await w.WriteAsync(d.Language, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await w.WriteAsync(d.Description, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, d.Locality, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, d.Town, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, d.AdministrativeArea, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        }
        await w.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task CopyBlpusAsync(TenantTransaction tx, IEnumerable<BlpuRecord> blpus, CancellationToken ct)
    {
        await using var w = await tx.Connection.BeginBinaryImportAsync(
            $"copy stg_properties (uprn, {string.Join(", ", BlpuColumns)}) from stdin (format binary)", ct).ConfigureAwait(false);
        foreach (var b in blpus)
        {
            await w.StartRowAsync(ct).ConfigureAwait(false);
            await w.WriteAsync(b.Uprn, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await w.WriteAsync(b.LogicalStatus, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await W(w, b.BlpuState, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await W(w, b.StateDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, b.BlpuClass, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, b.ParentUprn, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await W(w, b.Easting, NpgsqlDbType.Numeric, ct).ConfigureAwait(false);
            await W(w, b.Northing, NpgsqlDbType.Numeric, ct).ConfigureAwait(false);
            await W(w, b.Rpc, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await W(w, b.LocalCustodianCode, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            await W(w, b.StartDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, b.EndDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, b.LastUpdateDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, b.Organisation, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, b.WardCode, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, b.ParishCode, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        }
        await w.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task CopyLpisAsync(TenantTransaction tx, IEnumerable<(LpiRecord Lpi, StreetName? Street)> lpis, CancellationToken ct)
    {
        await using var w = await tx.Connection.BeginBinaryImportAsync(
            $"copy stg_addresses (lpi_key, {string.Join(", ", LpiColumns)}) from stdin (format binary)", ct).ConfigureAwait(false);
        foreach (var (l, street) in lpis)
        {
            var lines = AddressRenderer.Lines(l, street);
            await w.StartRowAsync(ct).ConfigureAwait(false);
            await w.WriteAsync(l.LpiKey, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await w.WriteAsync(l.Uprn, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await w.WriteAsync(l.Usrn, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await W(w, l.Language, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await w.WriteAsync(l.LogicalStatus, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await W(w, l.StartDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, l.EndDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await W(w, l.LastUpdateDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
            await WriteRangeAsync(w, l.SaoNumbers, ct).ConfigureAwait(false);
            await W(w, l.SaoText, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await WriteRangeAsync(w, l.PaoNumbers, ct).ConfigureAwait(false);
            await W(w, l.PaoText, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, l.Level, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, l.PostalAddress, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, l.Postcode, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, l.PostTown, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await W(w, l.OfficialFlag, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await w.WriteAsync(lines, NpgsqlDbType.Array | NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await w.WriteAsync(AddressRenderer.SearchText(lines, l.Postcode), NpgsqlDbType.Text, ct).ConfigureAwait(false);
        }
        await w.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteRangeAsync(NpgsqlBinaryImporter w, NumberRange r, CancellationToken ct)
    {
        await W(w, r.StartNumber, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        await W(w, r.StartSuffix, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await W(w, r.EndNumber, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        await W(w, r.EndSuffix, NpgsqlDbType.Text, ct).ConfigureAwait(false);
    }

    private static Task W<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) where T : class =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, type, ct);

    private static Task W<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? w.WriteAsync(v, type, ct) : w.WriteNullAsync(ct);

    // ---- re-rendering addresses on renamed streets ---------------------------------------------

    private static async Task RerenderAsync(TenantTransaction tx, long[] usrns,
        Dictionary<(long Usrn, string Language), StreetName> names, CancellationToken ct)
    {
        if (usrns.Length == 0) return;
        var updates = new List<(string Key, string[] Lines, string Search)>();
        await using (var cmd = tx.Command($"""
            select a.lpi_key, {string.Join(", ", LpiColumns.Where(c => c is not ("lines" or "search")).Select(c => "a." + c))}, a.lines
            from customer.addresses a
            where a.usrn = any($1) and not exists (select 1 from stg_addresses s where s.lpi_key = a.lpi_key)
            """))
        {
            cmd.Parameters.AddWithValue(usrns);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var lpi = GazetteerQueries.ReadLpi(reader);
                var lines = AddressRenderer.Lines(lpi, StreetFor(names, lpi));
                if (!lines.SequenceEqual(reader.GetFieldValue<string[]>(reader.FieldCount - 1)))
                    updates.Add((lpi.LpiKey, lines, AddressRenderer.SearchText(lines, lpi.Postcode)));
            }
        }
        if (updates.Count == 0) return;
        await using var batch = new NpgsqlBatch(tx.Connection, tx.Transaction);
        foreach (var (key, lines, search) in updates)
        {
            var command = new NpgsqlBatchCommand("update customer.addresses set lines = $2, search = $3 where lpi_key = $1");
            command.Parameters.AddWithValue(key);
            command.Parameters.AddWithValue(lines);
            command.Parameters.AddWithValue(search);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
