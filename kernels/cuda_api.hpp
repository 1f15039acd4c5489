#pragma once
/// Plain C++ front of the CUDA side: callable from code compiled by the host compiler.
/// Only built when the CUDA backend is (TILMATCH_HAVE_CUDA).

#include <cstdint>
#include <string>
#include <vector>

namespace tilmatch::cuda {

struct DeviceInfo {
  int ordinal = 0;
  std::string name;
  int compute_major = 0;
  int compute_minor = 0;
  std::size_t total_memory = 0;  ///< bytes
  int multiprocessors = 0;
};

/// Usable CUDA devices. "No device", "no driver" and "insufficient driver" all give an empty list
/// (as faiss's getNumDevices); other failures throw CudaError.
std::vector<DeviceInfo> list_devices();

/// Encodes ASCII residues to residue codes on device `device` (the same rule as
/// encode::residue_code); returns the codes copied back to the host.
std::vector<std::uint8_t> encode_residues_on_device(const std::string& ascii, int device);

}  // namespace tilmatch::cuda
