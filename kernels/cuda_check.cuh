#pragma once
/// Checks every CUDA runtime call and kernel launch; failures throw tilmatch::CudaError with
/// file:line and the CUDA error name.

#include <cuda_runtime.h>

#include <string>

#include "tilmatch/error.hpp"

namespace tilmatch::cuda::detail {

[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* expr, const char* file, int line) {
  throw CudaError(std::string(file) + ":" + std::to_string(line) + ": " + expr + " failed: " +
                  cudaGetErrorName(err) + " (" + cudaGetErrorString(err) + ")");
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
