#pragma once
// The real event files and GraphDefs in tests/data (see tests/data/README.md), as the tests expect them.
// Every test binary that reads them calls SCOPEVIZ_REQUIRE_TEST_DATA() in initTestCase(): when a file is
// missing, the binary fails at once and names each missing file, instead of crashing on an empty graph
// or skipping what it was meant to check.
#include <QFileInfo>
#include <QString>
#include <QTest>

#include <string>
#include <vector>

namespace scopeviz::testing {

/// Where the test data lives (CMake's SCOPEVIZ_TESTDATA, tests/data by default).
inline std::string testDataDir() { return SCOPEVIZ_TESTDATA; }

/// Every data file the tests read, relative to testDataDir().
inline const std::vector<std::string>& expectedTestData()
{
    static const std::vector<std::string> files = {
        "events/catboost-cpp-writer/events.out.tfevents",
        "events/python-writer-gan-custom-scalars-histos/events.out.tfevents.111.complex.localdomain",
        "events/pytorch-summarywriter-graph-image/events.out.tfevents.1715398240.8e23b496c048.20.0",
        "events/tensorboardx-2018-onnx-graph-no-file-version/events.out.tfevents.1535527301.DESKTOP-4D03LNH",
        "events/tensorboardx-histograms/events.out.tfevents.1581507292.hskim-pc",
        "events/tf0.12-graph-truncated-last-record/events.out.tfevents.1483451470.Morvan",
        "events/tf1-estimator-tensorboard-functionaltest/events.out.tfevents.1476472047.localhost",
        "events/tf1-graph-only-while-loops/events.out.tfevents.1499787150.MacBook-Pro",
        "events/tf1-keras-breakout-dqn-31k-scalars/events.out.tfevents.1496968668.young-System-Product-Name",
        "events/tf2-keras-tensor-scalars-graph/events.out.tfevents.1666350020.67d731bb51ab.314.0.v2",
        "events/tf2-profile-empty/events.out.tfevents.1666015010.MS-IJHPFNLAGMLT.profile-empty",
        "graphs/tf0.12-gan-variable-reuse-9622-nodes.graphdef.pb",
        "graphs/tf1-frozen-lstm-529-nodes.pb",
        "graphs/tf1-regression-checkpoint-109-nodes.pb",
        "graphs/tf1-xla-demo-118-nodes.pbtxt",
        "graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb",
        "onnx/checker_fails.onnx",
        "onnx/control_flow.onnx",
        "onnx/convnext_tiny.onnx",
        "onnx/external_data.bin",
        "onnx/external_data.onnx",
        "onnx/functions.onnx",
        "onnx/mobilenet_v2.onnx",
        "onnx/resnet18.onnx",
        "onnx/siamese.onnx",
        "onnx/tied_lm.onnx",
        "onnx/vit_b_16.onnx",
    };
    return files;
}

/// "missing test data file: PATH" lines for each expected file that is not there; empty when all are.
inline std::string missingTestData()
{
    std::string missing;
    for (const std::string& rel : expectedTestData()) {
        const std::string path = testDataDir() + "/" + rel;
        if (!QFileInfo(QString::fromStdString(path)).isFile())
            missing += "missing test data file: " + path + "\n";
    }
    return missing;
}

} // namespace scopeviz::testing

/// In initTestCase(): fails the whole test binary, naming every missing data file.
#define SCOPEVIZ_REQUIRE_TEST_DATA()                                                                           \
    do {                                                                                                       \
        const std::string missing_ = scopeviz::testing::missingTestData();                                      \
        QVERIFY2(missing_.empty(), missing_.c_str());                                                          \
    } while (0)
