#pragma once
/// Checks every CUDA runtime call and kernel launch; failures throw tilmatch::CudaError with
/// file:line and the CUDA error name (scoring::DeviceOutOfMemory, a CudaError, when an allocation
/// failed).

#include <cuda_runtime.h>

#include <string>

#include "scoring/engine.hpp"
#include "tilmatch/error.hpp"

namespace tilmatch::cuda::detail {

[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line) {
  std::string message = std::string(file) + ":" + std::to_string(line) + ": " + expr + " failed: " +
                        cudaGetErrorName(err) + " (" + cudaGetErrorString(err) + ")";
  if (err == cudaErrorMemoryAllocation) {
    // Not sticky: the context stays usable and a retry with smaller tiles may fit. But the runtime
    // keeps the error as its last error, and the next TILMATCH_CUDA_CHECK_LAUNCH (cudaGetLastError)
    // would report it for a kernel that launched fine: clear it now.
    static_cast<void>(cudaGetLastError());
    throw scoring::DeviceOutOfMemory(message);
  }
  // Anything else may be sticky (a launch failure, an illegal address, an uncorrectable ECC error,
  // a device that fell off the bus): the context is then unusable for the rest of the process and
  // no call clears it, so nothing is retried; the CLI exits 3 with nothing published.
  throw CudaError(message);
}

}  // namespace tilmatch::cuda::detail

#define TILMATCH_CUDA_CHECK(expr)                                                        \
  do {                                                                                   \
    cudaError_t tilmatch_err_ = (expr);                                                  \
    if (tilmatch_err_ != cudaSuccess)                                                    \
      ::tilmatch::cuda::detail::throw_cuda_error(tilmatch_err_, #expr, __FILE__, __LINE__); \
  } while (0)

/// After a kernel launch: catches launch-configuration errors at once.
#define TILMATCH_CUDA_CHECK_LAUNCH() TILMATCH_CUDA_CHECK(cudaGetLastError())
