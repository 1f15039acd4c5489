#pragma once
/// TILMATCH_HD marks a function that the CPU backend and CUDA kernels both call, so each scoring
/// rule is written once. It expands to __host__ __device__ only when nvcc compiles the file.

#if defined(__CUDACC__)
#define TILMATCH_HD __host__ __device__ __forceinline__
#else
#define TILMATCH_HD inline
#endif
