package com.example;

import com.example.handlers.UppercaseHandler;
import io.drover.worker.DroverWorker;

public final class MyWorkerMain {
  public static void main(String[] args) {
    System.exit(DroverWorker.builder().fromEnvironment().handler(new UppercaseHandler()).build().run());
  }
}
