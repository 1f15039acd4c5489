#include <gtest/gtest.h>

#include "tilmatch/json_writer.hpp"

using tilmatch::JsonWriter;

TEST(JsonWriter, NestedDocument) {
  JsonWriter w;
  w.begin_object();
  w.key("name").value("a\"b\n");
  w.key("n").value(3);
  w.key("x").value(0.5);
  w.key("list").begin_array().value(1).value(true).null().end_array();
  w.key("empty").begin_object().end_object();
  w.end_object();
  EXPECT_EQ(w.str(),
            "{\n  \"name\": \"a\\\"b\\n\",\n  \"n\": 3,\n  \"x\": 0.5,\n  \"list\": [\n    1,\n    true,\n"
            "    null\n  ],\n  \"empty\": {}\n}\n");
}

TEST(JsonWriter, NonFiniteBecomesNull) {
  JsonWriter w;
  w.begin_array().value(1.0 / 0.0).end_array();
  EXPECT_EQ(w.str(), "[\n  null\n]\n");
}

TEST(JsonWriter, AScalarKeepsItsJsonType) {
  using tilmatch::JsonScalar;
  JsonWriter w;
  w.begin_object();
  w.key("text").value(JsonScalar{std::string("12")});
  w.key("whole").value(JsonScalar{std::int64_t{12}});
  w.key("real").value(JsonScalar{0.25});
  w.key("switch").value(JsonScalar{false});
  w.key("absent").value(JsonScalar{});
  w.key("list").value(JsonScalar{std::vector<std::string>{"A*02:01", "B*07:02"}});
  w.key("none").value(JsonScalar{std::vector<std::string>{}});
  w.end_object();
  EXPECT_EQ(w.str(),
            "{\n  \"text\": \"12\",\n  \"whole\": 12,\n  \"real\": 0.25,\n  \"switch\": false,\n  \"absent\": null,\n"
            "  \"list\": [\n    \"A*02:01\",\n    \"B*07:02\"\n  ],\n  \"none\": []\n}\n");
}
