; ModuleID = 'main'
source_filename = "main"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@str = private unnamed_addr constant [4 x i8] c"zero", align 1
@str.1 = private unnamed_addr constant [5 x i8] c"small", align 1
@str.2 = private unnamed_addr constant [3 x i8] c"big", align 1

; Function Attrs: uwtable
define internal { ptr, i64 } @main.classify(i64 %x) #0 {
entry:
  %x.addr = alloca i64, align 8
  store i64 %x, ptr %x.addr, align 8
  %x1 = load i64, ptr %x.addr, align 8
  %eq = icmp eq i64 %x1, 0
  br i1 %eq, label %switch.case, label %switch.next

switch.next:                                      ; preds = %entry
  %eq2 = icmp eq i64 %x1, 1
  br i1 %eq2, label %switch.case8, label %switch.next3

switch.next3:                                     ; preds = %switch.next
  %eq4 = icmp eq i64 %x1, 2
  br i1 %eq4, label %switch.case8, label %switch.next5

switch.next5:                                     ; preds = %switch.next3
  %eq6 = icmp eq i64 %x1, 3
  br i1 %eq6, label %switch.case10, label %switch.next7

switch.next7:                                     ; preds = %switch.next5
  br label %switch.default

switch.case:                                      ; preds = %entry
  ret { ptr, i64 } { ptr @str, i64 4 }

switch.case8:                                     ; preds = %switch.next3, %switch.next
  br label %switch.case10

switch.case10:                                    ; preds = %switch.case8, %switch.next5
  ret { ptr, i64 } { ptr @str.1, i64 5 }

switch.default:                                   ; preds = %switch.next7
  ret { ptr, i64 } { ptr @str.2, i64 3 }
}

; Function Attrs: uwtable
define void @main.main() #0 {
entry:
  %range.next.addr = alloca i64, align 8
  %i.addr = alloca i64, align 8
  store i64 0, ptr %range.next.addr, align 8
  br label %range.cond

range.cond:                                       ; preds = %range.next, %entry
  %range.i = load i64, ptr %range.next.addr, align 8
  %range.more = icmp slt i64 %range.i, 5
  br i1 %range.more, label %range.body, label %range.done

range.body:                                       ; preds = %range.cond
  store i64 %range.i, ptr %i.addr, align 8
  %i = load i64, ptr %i.addr, align 8
  %eq = icmp eq i64 %i, 3
  br i1 %eq, label %switch.case, label %switch.next

switch.next:                                      ; preds = %range.body
  %i1 = load i64, ptr %i.addr, align 8
  %rem = srem i64 %i1, 2
  %eq2 = icmp eq i64 %rem, 0
  br i1 %eq2, label %switch.case4, label %switch.next3

switch.next3:                                     ; preds = %switch.next
  br label %switch.done

switch.case:                                      ; preds = %range.body
  br label %range.done

switch.case4:                                     ; preds = %switch.next
  br label %range.next

switch.done:                                      ; preds = %switch.next3
  %i6 = load i64, ptr %i.addr, align 8
  %classify = call { ptr, i64 } @main.classify(i64 %i6)
  call void @gol_printlock()
  %print.ptr = extractvalue { ptr, i64 } %classify, 0
  %print.len = extractvalue { ptr, i64 } %classify, 1
  call void @gol_printstring(ptr %print.ptr, i64 %print.len)
  call void @gol_printnl()
  call void @gol_printunlock()
  br label %range.next

range.next:                                       ; preds = %switch.done, %switch.case4
  %range.inc = add i64 %range.i, 1
  store i64 %range.inc, ptr %range.next.addr, align 8
  br label %range.cond

range.done:                                       ; preds = %switch.case, %range.cond
  ret void
}

declare void @gol_printlock()

declare void @gol_printstring(ptr, i64)

declare void @gol_printnl()

declare void @gol_printunlock()

; Function Attrs: uwtable
define void @main.init() #0 {
entry:
  ret void
}

attributes #0 = { uwtable "frame-pointer"="all" "target-cpu"="x86-64" }
