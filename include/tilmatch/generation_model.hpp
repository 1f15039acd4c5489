#pragma once
/// A V(D)J recombination model in IGoR's file layout, as OLGA ships it (Sethna et al., Bioinformatics
/// 2019; e.g. the `olga` package's olga/default_models/human_T_beta): the events of
/// model_params.txt, the probability tables of model_marginals.txt and the CDR3 anchors of
/// V_gene_CDR3_anchors.csv and J_gene_CDR3_anchors.csv. Filled by io::read_generation_model; drawn
/// from by chance::OlgaSampler. Plain data.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace tilmatch {

struct GenerationModel {
  struct Gene {
    std::string name;
    std::string sequence;  ///< genomic template, nucleotides
  };
  /// One event: genes (GeneChoice) or integer values (deletion lengths, insertion lengths), both by
  /// IGoR index (the position in the event's marginal rows).
  struct Event {
    std::vector<Gene> genes;
    std::vector<int> values;
  };
  /// One probability table, row-major over `dims` (the last dimension is the event itself, the
  /// others the events it is conditioned on).
  struct Marginal {
    std::vector<std::size_t> dims;
    std::vector<double> p;
  };
  /// Where a gene's CDR3 part starts (V: the first base of the conserved Cys codon) or ends (J: the
  /// first base of the Phe/Trp codon), 0-based in the template, and the gene's function as the
  /// anchor file gives it with OLGA's parentheses removed ("F", "ORF", "P", "[F]").
  struct Anchor {
    int position = 0;
    std::string function;
  };

  std::string folder;                         ///< named in errors and provenance
  std::map<std::string, Event> events;        ///< by nickname: v_choice, d_gene, j_choice, v_3_del, ...
  std::map<std::string, Marginal> marginals;  ///< by nickname, as events
  std::map<std::string, Anchor> v_anchors, j_anchors;  ///< by gene name (with allele)
};

}  // namespace tilmatch
