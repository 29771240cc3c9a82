#pragma once

namespace chronoscope {

/// Process-wide settings of the gRPC runtime, applied once by whoever builds the first channel or
/// server (safe to call many times, from any thread).
///
/// Debian's Abseil is built without NDEBUG, so every mutex lock gRPC takes also runs Abseil's
/// lock-order deadlock detection: in callgrind that was ~9% of the sandbox's instructions per
/// streamed event and ~8% of the client's. It is a debugging aid with no effect on behaviour; it
/// is turned off.
void tuneGrpcRuntime();

} // namespace chronoscope
