{
  "targets": [
    {
      "target_name": "workbench_native",
      "sources": [
        "src-main/engine/native/csrc/addon.c",
        "src-main/engine/native/csrc/bindingsLayer.c",
        "src-main/engine/native/csrc/bindingsOptim.c",
        "src-main/engine/native/csrc/dispatch.c",
        "src-main/engine/native/csrc/levelAvx512.c",
        "src-main/engine/native/csrc/levelAvx2.c",
        "src-main/engine/native/csrc/levelPortable.c"
      ],
      "cflags_c": [
        "-std=gnu11",
        "-O3",
        "-fvisibility=hidden",
        "-fno-math-errno"
      ],
      "cflags!": [
        "-O2"
      ],
      "xcode_settings": {
        "OTHER_CFLAGS": [
          "-std=gnu11",
          "-O3",
          "-fvisibility=hidden",
          "-fno-math-errno"
        ]
      },
      "conditions": [
        [
          "OS=='win'",
          {
            "msbuild_toolset": "ClangCL"
          }
        ]
      ]
    }
  ]
}
