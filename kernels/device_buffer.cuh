#pragma once
/// A typed device allocation that never throws from its destructor. thrust::device_vector frees
/// through a throwing path: after a sticky device fault (an illegal address, say) the first
/// CudaError unwinds the stack, cudaFree reports the same fault and Thrust throws again from a
/// destructor, ending the process in std::terminate. Here allocation and copies throw CudaError
/// (scoring::DeviceOutOfMemory when cudaMalloc fails) and release ignores errors, since one is
/// already being reported.

#include <cuda_runtime.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "cuda_check.cuh"

namespace tilmatch::cuda::detail {

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  // Delegating to the default constructor makes the object complete before anything can throw,
  // so a failed copy after a successful allocation still frees it.
  explicit DeviceBuffer(std::size_t n) : DeviceBuffer() { allocate(n); }
  DeviceBuffer(const T* host, std::size_t n) : DeviceBuffer() { assign(host, n); }
  explicit DeviceBuffer(const std::vector<T>& host) : DeviceBuffer() { assign(host.data(), host.size()); }
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      release();
      ptr_ = std::exchange(o.ptr_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }

  /// Room for n elements; the old contents are dropped (freed before the new allocation).
  void allocate(std::size_t n) {
    release();
    if (n != 0) TILMATCH_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&ptr_), n * sizeof(T)));
    size_ = n;
  }
  void assign(const T* host, std::size_t n) {
    allocate(n);
    if (n != 0) TILMATCH_CUDA_CHECK(cudaMemcpy(ptr_, host, n * sizeof(T), cudaMemcpyHostToDevice));
  }
  /// Copies the first n elements to `host` (n <= size()).
  void copy_to(T* host, std::size_t n) const {
    if (n != 0) TILMATCH_CUDA_CHECK(cudaMemcpy(host, ptr_, n * sizeof(T), cudaMemcpyDeviceToHost));
  }

  T* data() noexcept { return ptr_; }
  const T* data() const noexcept { return ptr_; }
  std::size_t size() const noexcept { return size_; }

 private:
  void release() noexcept {
    if (ptr_ != nullptr) static_cast<void>(cudaFree(ptr_));
    ptr_ = nullptr;
    size_ = 0;
  }
  T* ptr_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace tilmatch::cuda::detail
