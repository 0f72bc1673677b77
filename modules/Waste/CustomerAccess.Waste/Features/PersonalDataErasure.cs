using CustomerAccess.Contracts;
using CustomerAccess.Platform.Messaging;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// A customer was erased (contracts' CustomerPersonalDataErased): the reporter's own words and links
/// copied into waste.works_orders for the staff screens and Open311 (what was dumped, where they said it
/// was, the photo link) go too; the events holding them are already unreadable. The order itself, its
/// property and status stay: the job is the council's record, not the person's. A repeat changes nothing.
/// </summary>
internal sealed class EraseWorksOrderPersonalData : IMessageHandler<CustomerPersonalDataErased>
{
    public async Task HandleAsync(CustomerPersonalDataErased message, MessageContext context, CancellationToken ct)
    {
        await using var cmd = context.Session.Db.Command("""
            update waste.works_orders set detail = null, location = null, media_url = null
            where tenant_id = $1 and customer_id = $2 and (detail is not null or location is not null or media_url is not null)
            """);
        cmd.Parameters.AddWithValue(context.Tenant);
        cmd.Parameters.AddWithValue(message.CustomerId);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
