namespace Cairn.Api.Conversions;

/// <summary>How reservations are written into <c>Mesos.V1.Resource</c>.</summary>
public enum ReservationFormat
{
    /// <summary>
    /// The <c>reservations</c> stack (one STATIC entry per reserved resource), no <c>role</c> field:
    /// what Mesos sends to frameworks with the RESERVATION_REFINEMENT capability and in operator output.
    /// </summary>
    ReservationStack,

    /// <summary>The deprecated <c>role</c> field only (pre-refinement format, for frameworks without RESERVATION_REFINEMENT).</summary>
    LegacyRole,
}
