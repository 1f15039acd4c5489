#include "cuda_api.hpp"
#include "cuda_check.cuh"

namespace tilmatch::cuda {

std::vector<DeviceInfo> list_devices() {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaErrorNoDevice || err == cudaErrorInsufficientDriver ||
      err == cudaErrorInitializationError || err == cudaErrorSystemNotReady ||
      err == cudaErrorNotSupported || err == cudaErrorSystemDriverMismatch ||
      err == cudaErrorCompatNotSupportedOnDevice || err == cudaErrorStubLibrary ||
      err == cudaErrorDevicesUnavailable) {
    (void)cudaGetLastError();  // clear the sticky-free error state
    return {};
  }
  TILMATCH_CUDA_CHECK(err);
  std::vector<DeviceInfo> out;
  for (int d = 0; d < count; ++d) {
    cudaDeviceProp prop{};
    TILMATCH_CUDA_CHECK(cudaGetDeviceProperties(&prop, d));
    DeviceInfo info;
    info.ordinal = d;
    info.name = prop.name;
    info.compute_major = prop.major;
    info.compute_minor = prop.minor;
    info.total_memory = prop.totalGlobalMem;
    info.multiprocessors = prop.multiProcessorCount;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace tilmatch::cuda
