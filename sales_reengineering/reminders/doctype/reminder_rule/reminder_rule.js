// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt
