#include "scoring/tcrmatch.hpp"

#include <cmath>

#include "scoring/tables.hpp"

namespace tilmatch::scoring {

K1Table make_k1_table(double beta) {
  K1Table t{};
  double p[20] = {};
  for (int a = 0; a < 20; ++a)
    for (int b = 0; b < 20; ++b) p[a] += kBlosum62Qij[a][b];
  for (int a = 0; a < kK1Alphabet; ++a) {
    for (int b = 0; b < kK1Alphabet; ++b) {
      // An unknown residue contributes nothing: every k-mer containing it has K2 = 0.
      double v = 0.0;
      if (a < 20 && b < 20) v = std::pow(kBlosum62Qij[a][b] / (p[a] * p[b]), beta);
      t.k[a * kK1Alphabet + b] = static_cast<float>(v);
    }
  }
  return t;
}

}  // namespace tilmatch::scoring
