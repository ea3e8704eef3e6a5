use super::money::Cents;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Pizza sizes. Stored and sent as "S", "M", "L".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Size {
    S,
    M,
    L,
}

impl Size {
    pub const ALL: [Size; 3] = [Size::S, Size::M, Size::L];

    pub fn code(self) -> &'static str {
        match self {
            Size::S => "S",
            Size::M => "M",
            Size::L => "L",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Size::S => "Small",
            Size::M => "Medium",
            Size::L => "Large",
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Size {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "S" => Ok(Size::S),
            "M" => Ok(Size::M),
            "L" => Ok(Size::L),
            other => Err(format!("unknown size {other:?}")),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizePrices {
    pub s: Cents,
    pub m: Cents,
    pub l: Cents,
}

impl SizePrices {
    pub fn get(&self, size: Size) -> Cents {
        match size {
            Size::S => self.s,
            Size::M => self.m,
            Size::L => self.l,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItem {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub prices: SizePrices,
    pub available: bool,
    /// Goes up by one on every change, so a client can tell a newer copy from an older one.
    pub version: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Menu {
    pub location_id: i64,
    pub items: Vec<MenuItem>,
}

impl Menu {
    pub fn item(&self, id: i64) -> Option<&MenuItem> {
        self.items.iter().find(|item| item.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_round_trips_through_its_code() {
        for size in Size::ALL {
            assert_eq!(size.code().parse::<Size>(), Ok(size));
        }
        assert!("XL".parse::<Size>().is_err());
    }
}
