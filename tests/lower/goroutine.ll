; ModuleID = 'main'
source_filename = "main"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@str = private unnamed_addr constant [1 x i8] c"w", align 1

; Function Attrs: uwtable
define internal void @main.worker(i64 %id, { ptr, i64 } %name, i1 %loud) #0 {
entry:
  %id.addr = alloca i64, align 8
  %name.addr = alloca { ptr, i64 }, align 8
  %loud.addr = alloca i8, align 1
  store i64 %id, ptr %id.addr, align 8
  store { ptr, i64 } %name, ptr %name.addr, align 8
  %loud.byte = zext i1 %loud to i8
  store i8 %loud.byte, ptr %loud.addr, align 1
  %id1 = load i64, ptr %id.addr, align 8
  %name2 = load { ptr, i64 }, ptr %name.addr, align 8
  %loud3.byte = load i8, ptr %loud.addr, align 1
  %loud3 = trunc i8 %loud3.byte to i1
  call void @gol_printlock()
  call void @gol_printint(i64 %id1)
  call void @gol_printsp()
  %print.ptr = extractvalue { ptr, i64 } %name2, 0
  %print.len = extractvalue { ptr, i64 } %name2, 1
  call void @gol_printstring(ptr %print.ptr, i64 %print.len)
  call void @gol_printsp()
  call void @gol_printbool(i1 %loud3)
  call void @gol_printnl()
  call void @gol_printunlock()
  ret void
}

; Function Attrs: uwtable
define void @main.main() #0 {
entry:
  %go.args = alloca { i64, { ptr, i64 }, i8 }, align 8
  %go.arg = getelementptr inbounds { i64, { ptr, i64 }, i8 }, ptr %go.args, i32 0, i32 0
  store i64 1, ptr %go.arg, align 8
  %go.arg1 = getelementptr inbounds { i64, { ptr, i64 }, i8 }, ptr %go.args, i32 0, i32 1
  store { ptr, i64 } { ptr @str, i64 1 }, ptr %go.arg1, align 8
  %go.arg2 = getelementptr inbounds { i64, { ptr, i64 }, i8 }, ptr %go.args, i32 0, i32 2
  store i8 1, ptr %go.arg2, align 1
  call void @gol_newproc(ptr @main.main.gowrap1, ptr %go.args, i64 32)
  call void @runtime.Gosched()
  ret void
}

declare void @gol_printlock()

declare void @gol_printint(i64)

declare void @gol_printsp()

declare void @gol_printstring(ptr, i64)

declare void @gol_printbool(i1 zeroext)

declare void @gol_printnl()

declare void @gol_printunlock()

; Function Attrs: uwtable
define internal void @main.main.gowrap1(ptr %args) #0 {
entry:
  %id.addr = getelementptr inbounds { i64, { ptr, i64 }, i8 }, ptr %args, i32 0, i32 0
  %id = load i64, ptr %id.addr, align 8
  %name.addr = getelementptr inbounds { i64, { ptr, i64 }, i8 }, ptr %args, i32 0, i32 1
  %name = load { ptr, i64 }, ptr %name.addr, align 8
  %loud.addr = getelementptr inbounds { i64, { ptr, i64 }, i8 }, ptr %args, i32 0, i32 2
  %loud.byte = load i8, ptr %loud.addr, align 1
  %loud = trunc i8 %loud.byte to i1
  call void @main.worker(i64 %id, { ptr, i64 } %name, i1 %loud)
  ret void
}

declare void @gol_newproc(ptr, ptr, i64)

; Function Attrs: uwtable
declare void @runtime.Gosched() #1

; Function Attrs: uwtable
define void @main.init() #0 {
entry:
  ret void
}

attributes #0 = { uwtable "frame-pointer"="all" "target-cpu"="x86-64" }
attributes #1 = { uwtable "frame-pointer"="all" }
