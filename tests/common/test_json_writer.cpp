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
