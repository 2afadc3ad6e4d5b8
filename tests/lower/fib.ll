; ModuleID = 'main'
source_filename = "main"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; Function Attrs: uwtable
define internal i64 @main.fib(i64 %n) #0 {
entry:
  %n.addr = alloca i64, align 8
  store i64 %n, ptr %n.addr, align 8
  %n1 = load i64, ptr %n.addr, align 8
  %lt = icmp slt i64 %n1, 2
  br i1 %lt, label %if.then, label %if.done

if.then:                                          ; preds = %entry
  %n2 = load i64, ptr %n.addr, align 8
  ret i64 %n2

if.done:                                          ; preds = %entry
  %n3 = load i64, ptr %n.addr, align 8
  %sub = sub i64 %n3, 1
  %fib = call i64 @main.fib(i64 %sub)
  %n4 = load i64, ptr %n.addr, align 8
  %sub5 = sub i64 %n4, 2
  %fib6 = call i64 @main.fib(i64 %sub5)
  %add = add i64 %fib, %fib6
  ret i64 %add
}

; Function Attrs: uwtable
define void @main.main() #0 {
entry:
  %fib = call i64 @main.fib(i64 10)
  call void @gol_printlock()
  call void @gol_printint(i64 %fib)
  call void @gol_printnl()
  call void @gol_printunlock()
  ret void
}

declare void @gol_printlock()

declare void @gol_printint(i64)

declare void @gol_printnl()

declare void @gol_printunlock()

; Function Attrs: uwtable
define void @main.init() #0 {
entry:
  ret void
}

attributes #0 = { uwtable "frame-pointer"="all" "target-cpu"="x86-64" }
