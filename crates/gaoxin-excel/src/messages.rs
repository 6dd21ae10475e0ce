//! The workbook checks' wording: why an upload is refused and what to do, in Chinese and
//! English (see `gaoxin_core::text`).

use crate::ExcelError;
use gaoxin_core::text::{Message, Text};

impl Message for ExcelError {
    fn text(&self) -> Text {
        match self {
            ExcelError::TooLarge { size, max } => Text::new(
                format!("文件太大：{size} 字节，上限 {max} 字节"),
                format!("the file is too large: {size} bytes, at most {max}"),
            ),
            ExcelError::NotXlsx => Text::new(
                "不是 .xlsx 工作簿：请在 Excel 或 WPS 中“另存为 Excel 工作簿（*.xlsx）”",
                "not an .xlsx workbook: save it as \"Excel Workbook (*.xlsx)\"",
            ),
            ExcelError::Macros => Text::new(
                "工作簿含有宏（.xlsm），出于安全原因不接受：请另存为不含宏的 .xlsx",
                "the workbook contains macros (.xlsm) and is refused: save it as an .xlsx without macros",
            ),
            ExcelError::TooManyEntries { count, max } => Text::new(
                format!("工作簿的内部文件过多（{count} 个，上限 {max}）"),
                format!("the workbook has too many parts ({count}, at most {max})"),
            ),
            ExcelError::TooLargeUncompressed { size, max } => Text::new(
                format!("工作簿解压后过大（{size} 字节，上限 {max}）"),
                format!("the workbook is too large uncompressed ({size} bytes, at most {max})"),
            ),
            ExcelError::Ratio { entry, ratio, max } => Text::new(
                format!("工作簿中的 {entry} 压缩比异常（{ratio} 倍，上限 {max} 倍），疑似压缩炸弹"),
                format!("part {entry} is compressed {ratio} times (at most {max}): a zip bomb?"),
            ),
            ExcelError::TooManyRows { cell, max } => Text::new(
                format!("单元格 {cell} 超出可读范围：工作表至多 {max} 行数据，请分成几个文件上传"),
                format!(
                    "cell {cell} is out of range: a worksheet may hold at most {max} rows of \
                     data; split it into several files"
                ),
            ),
            ExcelError::TooManyColumns { cell, max } => Text::new(
                format!(
                    "单元格 {cell} 超出可读范围：工作表至多 {max} 列，请删除该单元格或另存为只含数据区域的工作簿"
                ),
                format!(
                    "cell {cell} is out of range: a worksheet may use at most {max} columns; \
                     delete the cell or save only the data"
                ),
            ),
            ExcelError::TooManyCells { max } => Text::new(
                format!("工作表的单元格过多（上限 {max} 个，含各行空白处）：请分成几个文件上传"),
                format!(
                    "the worksheet has too many cells (at most {max}, counting the gaps in each \
                     row): split it into several files"
                ),
            ),
            ExcelError::TooManyStrings { claimed, max } => Text::new(
                format!("工作簿声称含有 {claimed} 个共享字符串，上限 {max}：文件已损坏或被改动"),
                format!(
                    "the workbook claims {claimed} shared strings, at most {max}: the file is \
                     damaged or was tampered with"
                ),
            ),
            ExcelError::RowsOutOfOrder { cell, after } => Text::new(
                format!(
                    "单元格 {cell} 排在第 {after} 行之后：工作表的行顺序错乱（文件已损坏或由其他程序改写），请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"
                ),
                format!(
                    "cell {cell} comes after row {after}: the worksheet's rows are out of order \
                     (the file is damaged or was rewritten by another program); open it in Excel \
                     or WPS, save it as .xlsx and import it again"
                ),
            ),
            ExcelError::NoSheet => Text::new("工作簿中没有工作表", "the workbook has no worksheet"),
            ExcelError::Damaged => Text::new(
                "无法读取工作簿：工作簿结构损坏",
                "the workbook cannot be read: its structure is damaged",
            ),
            ExcelError::Unreadable(why) => Text::new(
                format!("无法读取工作簿：{why}"),
                format!("the workbook cannot be read: {why}"),
            ),
            ExcelError::Write(why) => Text::new(
                format!("无法生成工作簿：{why}"),
                format!("the workbook cannot be written: {why}"),
            ),
        }
    }
}
