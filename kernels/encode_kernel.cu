#include <cstdint>
#include <memory>

#include "cuda_api.hpp"
#include "cuda_check.cuh"
#include "encode/residues.hpp"

namespace tilmatch::cuda {
namespace {

__global__ void encode_residues_kernel(const char* __restrict__ ascii, std::uint8_t* __restrict__ codes,
                                       std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += stride) {
    codes[i] = encode::residue_code(ascii[i]);
  }
}

void launch_encode_residues(const char* ascii, std::uint8_t* codes, std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  constexpr int kThreads = 256;
  const std::size_t blocks_needed = (n + kThreads - 1) / kThreads;
  const int blocks = static_cast<int>(blocks_needed < 65535 ? blocks_needed : 65535);
  encode_residues_kernel<<<blocks, kThreads, 0, stream>>>(ascii, codes, n);
  TILMATCH_CUDA_CHECK_LAUNCH();
}

struct DeviceDeleter {
  void operator()(void* p) const noexcept { cudaFree(p); }
};

}  // namespace

std::vector<std::uint8_t> encode_residues_on_device(const std::string& ascii, int device) {
  TILMATCH_CUDA_CHECK(cudaSetDevice(device));
  const std::size_t n = ascii.size();
  std::vector<std::uint8_t> out(n);
  if (n == 0) return out;
  void* d_ascii = nullptr;
  void* d_codes = nullptr;
  TILMATCH_CUDA_CHECK(cudaMalloc(&d_ascii, n));
  std::unique_ptr<void, DeviceDeleter> ascii_guard(d_ascii);
  TILMATCH_CUDA_CHECK(cudaMalloc(&d_codes, n));
  std::unique_ptr<void, DeviceDeleter> codes_guard(d_codes);
  TILMATCH_CUDA_CHECK(cudaMemcpy(d_ascii, ascii.data(), n, cudaMemcpyHostToDevice));
  launch_encode_residues(static_cast<const char*>(d_ascii), static_cast<std::uint8_t*>(d_codes), n, nullptr);
  TILMATCH_CUDA_CHECK(cudaDeviceSynchronize());
  TILMATCH_CUDA_CHECK(cudaMemcpy(out.data(), d_codes, n, cudaMemcpyDeviceToHost));
  return out;
}

}  // namespace tilmatch::cuda
